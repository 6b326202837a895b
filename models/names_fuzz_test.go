package models

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var slugShape = regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*)?$`)

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Ärzte ohne Grenzen", "Фонд «Дети онлайн»", "中国儿童基金会", "a--b", "-x-", "\x00\xff", strings.Repeat("long ", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		slug := Slugify(name)
		if len(slug) > maxSlugLen || !slugShape.MatchString(slug) {
			t.Errorf("Slugify(%q) = %q: want lower-case ASCII words joined by single hyphens, at most %d bytes", name, slug, maxSlugLen)
		}
	})
}

func FuzzNameKey(f *testing.F) {
	for _, s := range []string{"Ärzte ohne Grenzen", "Фонд «Дети онлайн»", "  ACME,  Inc. ", "\u202eevil", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		key := NameKey(name)
		if !utf8.ValidString(key) && utf8.ValidString(name) {
			t.Errorf("NameKey(%q) = %q is not valid UTF-8", name, key)
		}
		if strings.Contains(key, "  ") || strings.TrimSpace(key) != key {
			t.Errorf("NameKey(%q) = %q has stray spaces", name, key)
		}
		if again := NameKey(key); again != key {
			t.Errorf("NameKey is not stable: %q -> %q -> %q", name, key, again)
		}
	})
}
