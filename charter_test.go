package main

import (
	"log/slog"
	"regexp"
	"slices"
	"testing"

	"charter/models"
)

// The Russian charter must say which English text it translates; when charter.md changes, this
// fails until the translation is brought up to date and its first line names the new version.
func TestRussianCharterTranslatesTheCurrentText(t *testing.T) {
	english, err := models.NewCharter(charterSource, nil)
	if err != nil {
		t.Fatal(err)
	}
	declared, _, err := models.TranslatedVersion(charterRussian)
	if err != nil {
		t.Fatal(err)
	}
	if declared != english.Version {
		t.Fatalf("charter.ru.md translates version %s, but charter.md is version %s: update the translation "+
			"and its first line, <!-- translates: %s -->", declared, english.Version, english.Version)
	}
	c, err := newCharter(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Stale()) != 0 || c.In("ru").Lang != "ru" {
		t.Errorf("the Russian charter is not served: stale %q", c.Stale())
	}
}

// The translation keeps the English text's headings, level for level, with the same anchors, so
// that a link to a part of the charter leads to the same part in either language.
func TestRussianCharterHasTheEnglishHeadings(t *testing.T) {
	c, err := newCharter(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	heading := regexp.MustCompile(`<h([1-6]) id="([^"]+)">`)
	headings := func(html string) []string {
		var out []string
		for _, m := range heading.FindAllStringSubmatch(html, -1) {
			out = append(out, "h"+m[1]+"#"+m[2])
		}
		return out
	}
	en, ru := headings(c.HTML), headings(c.In("ru").HTML)
	if len(en) != 9 || !slices.Equal(en, ru) {
		t.Errorf("headings differ:\n en %q\n ru %q", en, ru)
	}
}
