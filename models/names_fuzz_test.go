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

func FuzzNameSkeleton(f *testing.F) {
	for _, s := range []string{"Fresh Org 1", "Frеsh Оrg 1", "Фонд «Дети онлайн»", "بنیاد می\u200Cخواهم", "ＰａｙＰａｌ", "\u202eevil", "\xff\xfe"} {
		f.Add(s, uint(3))
	}
	homoglyphs := strings.NewReplacer("a", "а", "e", "е", "o", "о", "p", "р", "c", "с", "x", "х", "O", "Ο", "A", "Α")
	f.Fuzz(func(t *testing.T, name string, at uint) {
		sk := NameSkeleton(name)
		if utf8.ValidString(name) && !utf8.ValidString(sk) {
			t.Errorf("NameSkeleton(%q) = %q is not valid UTF-8", name, sk)
		}
		if strings.Contains(sk, "  ") || strings.TrimSpace(sk) != sk {
			t.Errorf("NameSkeleton(%q) = %q has stray spaces", name, sk)
		}
		if !utf8.ValidString(name) {
			return
		}
		rs := []rune(name)
		i := int(at % uint(len(rs)+1))
		for _, invisible := range []string{"\u200B", "\u00AD", "\uFEFF", "\u2060", "\u200E"} {
			hidden := string(rs[:i]) + invisible + string(rs[i:])
			if got := NameSkeleton(hidden); got != sk {
				t.Errorf("NameSkeleton(%q) = %q, NameSkeleton(%q) = %q: an invisible character changed it", name, sk, hidden, got)
			}
		}
		if look := homoglyphs.Replace(name); NameSkeleton(look) != sk {
			t.Errorf("NameSkeleton(%q) = %q, NameSkeleton(%q) = %q: Cyrillic and Greek look-alikes changed it", name, sk, look, NameSkeleton(look))
		}
	})
}

// FuzzPublicInputNormalize feeds arbitrary public fields to the one normaliser: it never panics,
// what it accepts holds no invisible characters and is within the limits, and accepting it again
// changes nothing.
func FuzzPublicInputNormalize(f *testing.F) {
	f.Add("Ärzte ohne Grenzen", "civil_society", "de", "aerzte.de", "We commit.\r\nYearly.")
	f.Add("Fresh O\u200Brg 1", "nope", "ZZ", "http://localhost", "\x00")
	f.Add("بنیاد می\u200Cخواهم", "academia", "IR", "https://пример.рф/путь", "")
	f.Fuzz(func(t *testing.T, name, category, country, website, statement string) {
		pub, errs := PublicInput{Name: name, Category: category, Country: country, Website: website, Statement: statement}.Normalize()
		if len(errs) > 0 {
			for _, e := range errs {
				if e.Field == "" || e.Problem == "" {
					t.Errorf("problem without a field or a kind: %+v", e)
				}
			}
			return
		}
		if n := utf8.RuneCountInString(pub.Name); n < NameMinLen || n > NameMaxLen || hasInvisible(pub.Name, false) {
			t.Errorf("accepted name %q", pub.Name)
		}
		if utf8.RuneCountInString(pub.Statement) > StatementMaxLen || hasInvisible(pub.Statement, true) {
			t.Errorf("accepted statement %q", pub.Statement)
		}
		if !pub.Category.Valid() || !ValidCountry(pub.Country) || pub.WebsiteDomain == "" || len(pub.Website) > MaxWebsiteLen {
			t.Errorf("accepted %+v", pub)
		}
		again, errs := PublicInput{Name: pub.Name, Category: string(pub.Category), Country: pub.Country,
			Website: pub.Website, Statement: pub.Statement}.Normalize()
		if len(errs) > 0 || again != pub {
			t.Errorf("not stable: %+v -> %+v %v", pub, again, errs)
		}
	})
}
