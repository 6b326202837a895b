package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// Charter is the text of the charter, rendered once at start-up. The English text (charter.md)
// is the one organisations sign; a translation is offered to read it in another language.
type Charter struct {
	// HTML is the text rendered, headings with id anchors. It comes from our own files, never
	// from user input, which is why views may output it unescaped.
	HTML string
	// Version is a short SHA-256 of charter.md's bytes; every signature records the version
	// signed. A translation has the version of the English text it translates.
	Version string
	// Lang is the language of HTML: "en" for the charter itself.
	Lang string
	// Source is the Markdown HTML was rendered from (a translation's without its first line),
	// which charter_versions keeps so that the text stays readable once it is replaced.
	Source string

	translations map[string]*Charter
	stale        []string
}

// ErrNoTranslatedVersion is returned for a translation whose first line does not say which
// version of the English text it translates.
var ErrNoTranslatedVersion = errors.New("the translation does not declare the version it translates")

// NewCharter renders the Markdown source of the charter, computes its version and renders the
// translations, by language code. A translation starts with a line such as
//
//	<!-- translates: 1a2b3c4d5e6f -->
//
// naming the version it translates. One that names another version than source's is stale: it is
// kept out (In gives the English text instead) and listed by Stale, so the text read is always the
// one signed.
func NewCharter(source []byte, translations map[string][]byte) (*Charter, error) {
	html, err := renderCharter(source)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(source)
	c := &Charter{HTML: html, Version: hex.EncodeToString(sum[:])[:12], Lang: "en", Source: string(source),
		translations: make(map[string]*Charter, len(translations))}
	for lang, text := range translations {
		version, body, err := TranslatedVersion(text)
		if err != nil {
			return nil, fmt.Errorf("charter in %s: %w", lang, err)
		}
		if version != c.Version {
			c.stale = append(c.stale, lang)
			continue
		}
		html, err := renderCharter(body)
		if err != nil {
			return nil, fmt.Errorf("charter in %s: %w", lang, err)
		}
		c.translations[lang] = &Charter{HTML: html, Version: c.Version, Lang: lang, Source: string(body)}
	}
	sort.Strings(c.stale)
	return c, nil
}

// In is the charter to show in language lang: its translation, or the English text when there is
// none (or only a stale one). Its Version is always the English text's.
func (c *Charter) In(lang string) *Charter {
	if t, ok := c.translations[lang]; ok {
		return t
	}
	return c
}

// Stale lists the languages whose translation translates another version than this one.
func (c *Charter) Stale() []string { return c.stale }

// translatesLine is the first line of a translation.
var translatesLine = regexp.MustCompile(`^<!--\s*translates:\s*([0-9a-f]{12})\s*-->[ \t]*\r?\n`)

// TranslatedVersion returns the version a translation declares it translates, and its text
// without that line.
func TranslatedVersion(text []byte) (version string, body []byte, err error) {
	m := translatesLine.FindSubmatchIndex(text)
	if m == nil {
		return "", nil, ErrNoTranslatedVersion
	}
	return string(text[m[2]:m[3]]), text[m[1]:], nil
}

// RenderCharter renders a text of the charter (Markdown from our own files or from
// charter_versions, which holds only those) as NewCharter renders charter.md.
func RenderCharter(source string) (string, error) { return renderCharter([]byte(source)) }

// renderCharter renders Markdown with typographic punctuation and anchored headings: an
// explicit {#id} where given (the translations keep the English anchors), else one made from
// the heading's words.
func renderCharter(source []byte) (string, error) {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithHeadingAttribute()),
	)
	var buf bytes.Buffer
	if err := md.Convert(source, &buf); err != nil {
		return "", fmt.Errorf("render charter: %w", err)
	}
	return buf.String(), nil
}
