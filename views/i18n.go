package views

import (
	"context"
	"embed"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Every word people read is a message in locale/LANG.toml, looked up by key in the language of
// the request (see Lang and WithLang). A third language is one more file there and one more entry
// in Languages.

// Lang is a language the site speaks, by its BCP 47 code.
type Lang string

// The languages of the site. English is the default and has the unprefixed URLs; every other
// language lives under /CODE/.
const (
	English Lang = "en"
	Russian Lang = "ru"
)

// Languages lists the languages of the site, the default first.
var Languages = []Lang{English, Russian}

// ParseLang returns the language with the given code, and whether there is one.
func ParseLang(code string) (Lang, bool) {
	for _, l := range Languages {
		if string(l) == code {
			return l, true
		}
	}
	return "", false
}

// Tag is the language as x/text knows it.
func (l Lang) Tag() language.Tag { return language.Make(string(l)) }

//go:embed locale/*.toml
var localeFiles embed.FS

// bundle holds the messages of every language, loaded once.
var bundle = sync.OnceValue(func() *i18n.Bundle {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(localeFiles, "locale/"+string(l)+".toml"); err != nil {
			panic(fmt.Sprintf("views: the messages of %s do not load: %v", l, err))
		}
	}
	return b
})

// localizers are one per language; a localizer only reads the bundle, so it is shared.
var localizers = sync.OnceValue(func() map[Lang]*i18n.Localizer {
	m := make(map[Lang]*i18n.Localizer, len(Languages))
	for _, l := range Languages {
		m[l] = i18n.NewLocalizer(bundle(), string(l))
	}
	return m
})

// MissingMessage is called when a key has no message in a language. It logs by default; tests
// make it fail the test, so a missing key is never silently shown.
var MissingMessage = func(lang Lang, key string, err error) {
	slog.Error("views: no message", "lang", lang, "key", key, "err", err)
}

// WithLang returns ctx carrying the language the response is written in.
func WithLang(ctx context.Context, l Lang) context.Context {
	p := pageOf(ctx)
	p.lang = l
	return context.WithValue(ctx, pageKey{}, p)
}

// LangOf is the language of the response being written: the one WithLang or WithPage put in
// ctx, or English.
func LangOf(ctx context.Context) Lang {
	if l := pageOf(ctx).lang; l != "" {
		return l
	}
	return English
}

// T is the message key in the language of ctx. args are pairs of a name and a value, which the
// message refers to as {{.Name}}; numbers should be passed formatted (Number).
func T(ctx context.Context, key string, args ...any) string {
	return Tr(LangOf(ctx), key, args...)
}

// TN is the message key for count things, in the plural form the language needs for count (one,
// few, many, other). The message refers to the formatted count as {{.Count}}.
func TN(ctx context.Context, key string, count int64, args ...any) string {
	return TrN(LangOf(ctx), key, count, args...)
}

// Tr is T in a given language: for what is written outside a request, such as an email.
func Tr(l Lang, key string, args ...any) string {
	return localize(l, &i18n.LocalizeConfig{MessageID: key, TemplateData: data(args)})
}

// TrN is TN in a given language.
func TrN(l Lang, key string, count int64, args ...any) string {
	d := data(args)
	d["Count"] = FormatNumber(l, count)
	return localize(l, &i18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: d})
}

func localize(l Lang, cfg *i18n.LocalizeConfig) string {
	loc, ok := localizers()[l]
	if !ok {
		loc = localizers()[English]
	}
	s, tag, err := loc.LocalizeWithTag(cfg)
	if err != nil || tag != l.Tag() {
		if err == nil {
			err = fmt.Errorf("found only in %s", tag)
		}
		MissingMessage(l, cfg.MessageID, err)
		if s == "" {
			return cfg.MessageID
		}
	}
	return s
}

// data turns name-value pairs into a template's data.
func data(args []any) map[string]any {
	d := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		d[fmt.Sprint(args[i])] = args[i+1]
	}
	return d
}

// FormatNumber writes n as the language writes numbers: 12,345 in English, 12 345 in Russian.
func FormatNumber(l Lang, n int64) string {
	return message.NewPrinter(l.Tag()).Sprintf("%d", n)
}

// Number is FormatNumber in the language of ctx.
func Number(ctx context.Context, n int64) string { return FormatNumber(LangOf(ctx), n) }

// FormatDateIn writes a day as the language writes it: 29 November 2026, 29 ноября 2026 г.
func FormatDateIn(l Lang, t time.Time) string {
	t = t.UTC()
	return Tr(l, "date.long", "Day", t.Day(), "Month", Tr(l, fmt.Sprintf("date.month.%d", int(t.Month()))),
		"Year", t.Year())
}

// Date is FormatDateIn in the language of ctx.
func Date(ctx context.Context, t time.Time) string { return FormatDateIn(LangOf(ctx), t) }

// Href is the address of a page of the site in the language of ctx: the path itself in English,
// under /ru/ in Russian. The console (/admin) and files that do not depend on the language
// (assets, open data) keep their one address.
func Href(ctx context.Context, path string) string { return HrefIn(LangOf(ctx), path) }

// HrefIn is Href in a given language.
func HrefIn(l Lang, path string) string {
	if l == English || !Localized(path) {
		return path
	}
	if path == "/" {
		return "/" + string(l) + "/"
	}
	return "/" + string(l) + path
}

// Localized reports whether the page at path has an address per language.
func Localized(path string) bool {
	for _, p := range []string{"/admin", "/assets/", "/healthz", "/signatories.csv", "/signatories.json", "/log/"} {
		if path == p || strings.HasPrefix(path, p+"/") || (strings.HasSuffix(p, "/") && strings.HasPrefix(path, p)) {
			return false
		}
	}
	return strings.HasPrefix(path, "/")
}

// MessageKeys lists the keys of a language's messages, sorted, for the tests that compare the
// languages and the keys the code uses.
func MessageKeys(l Lang) ([]string, error) {
	raw, err := localeFiles.ReadFile("locale/" + string(l) + ".toml")
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := toml.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// PluralForms returns the plural forms a language's message defines (one, few, many, other), or
// nil when it is a plain message.
func PluralForms(l Lang, key string) ([]string, error) {
	raw, err := localeFiles.ReadFile("locale/" + string(l) + ".toml")
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := toml.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	forms, ok := m[key].(map[string]any)
	if !ok {
		return nil, nil
	}
	var out []string
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if _, ok := forms[f]; ok {
			out = append(out, f)
		}
	}
	return out, nil
}
