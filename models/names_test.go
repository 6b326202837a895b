package models

import (
	"fmt"
	"strings"
	"testing"
)

func TestNameKey(t *testing.T) {
	cases := map[string]string{
		"Ärzte ohne Grenzen":         "arzte ohne grenzen",
		`Фонд «Дети онлайн»`:         "фонд дети онлаин",
		"  ACME,  Inc. ":             "acme inc",
		"Fondation d'Entreprise Été": "fondation d entreprise ete",
		"":                           "",
	}
	for in, want := range cases {
		if got := NameKey(in); got != want {
			t.Errorf("NameKey(%q) = %q, want %q", in, got, want)
		}
	}
	if NameKey(`Фонд "Дети онлайн"`) != NameKey("фонд дети-онлайн") {
		t.Error("quotes, hyphens and case must not matter")
	}
}

func TestSlugify(t *testing.T) {
	cases := map[string]string{
		"Ärzte ohne Grenzen":         "arzte-ohne-grenzen",
		`Фонд «Дети онлайн»`:         "fond-deti-onlain",
		"UNICEF — Office for Europe": "unicef-office-for-europe",
		"中国儿童基金会":                    "",
		"<script>alert(1)</script>":  "script-alert-1-script",
	}
	for in, want := range cases {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := Slugify("The International Association of Very Long Organisation Names for the Protection of Children Online")
	if len(long) > maxSlugLen || long == "" || long[len(long)-1] == '-' {
		t.Errorf("long slug %q", long)
	}
}

func TestNameSkeleton(t *testing.T) {
	same := [][2]string{
		{"Fresh Org 1", "Fresh O\u200Brg 1"},         // zero-width space
		{"Fresh Org 1", "Frеsh Оrg 1"},               // Cyrillic е and О
		{"Fresh Org 1", "Fresh Οrg 1"},               // Greek Omicron
		{"Fresh Org 1", "fresh org l"},               // case, and "1" against "l"
		{"PayPal", "PayPaI"},                         // capital I against l
		{"Modern Media", "rnodern Media"},            // "rn" against "m"
		{"Acme", "Ａｃｍｅ"},                             // full-width
		{"Ärzte ohne Grenzen", "Arzte-ohne Grenzen"}, // accents and punctuation, as NameKey
		{"Fresh Org 1", "Fresh Org\u00AD 1"},         // soft hyphen
		{"Фонд «Дети онлайн»", "Фонд Дети Онлайн"},
		{"Fresh Org 1", "Fresh 0rg 1"}, // digit zero: confusable with O in Unicode's data (confusables.txt)
	}
	for _, c := range same {
		if a, b := NameSkeleton(c[0]), NameSkeleton(c[1]); a != b {
			t.Errorf("NameSkeleton(%q) = %q, NameSkeleton(%q) = %q: want the same", c[0], a, c[1], b)
		}
	}
	differ := [][2]string{
		{"Fresh Org 1", "Fresh Org 2"},
		{"Fresh Org", "FreshOrg"},
		{"Acme", "Acne"},
		{"Фонд", "Фонды"},
	}
	for _, c := range differ {
		if a, b := NameSkeleton(c[0]), NameSkeleton(c[1]); a == b {
			t.Errorf("NameSkeleton(%q) = NameSkeleton(%q) = %q: want them apart", c[0], c[1], a)
		}
	}
}

func TestPublicInputInvisibleCharacters(t *testing.T) {
	valid := PublicInput{Category: "academia", Country: "IR", Website: "https://example.ir"}
	cases := map[string]bool{ // name: accepted
		"بنیاد می\u200Cخواهم":    true,  // zero-width non-joiner between Persian letters: spelling
		"क्\u200Dष संस्था":       true,  // zero-width joiner in Devanagari
		"Fresh O\u200Brg 1":      false, // zero-width space
		"Fresh O\u200Crg 1":      false, // non-joiner between Latin letters
		"\u200Cبنیاد":            false, // non-joiner at the start
		"Fresh\u202EOrg":         false, // right-to-left override
		"Fresh\u2066Org\u2069":   false, // isolates
		"Fresh Org\u061C":        false, // Arabic letter mark
		"Fresh\u180EOrg":         false, // Mongolian vowel separator
		"Fresh\u115FOrg":         false, // Hangul choseong filler
		"Fresh Org \u2764\uFE0F": true,  // an emoji with its variation selector
	}
	for name, ok := range cases {
		in := valid
		in.Name = name
		_, errs := in.Normalize()
		if got := len(errs) == 0; got != ok {
			t.Errorf("%q: accepted %v, want %v (%v)", name, got, ok, errs)
		}
		if !ok && (len(errs) != 1 || errs[0] != (FieldError{Field: FieldName, Problem: ProblemInvisible})) {
			t.Errorf("%q: problems %v, want the name's invisible characters", name, errs)
		}
	}
}

func TestPublicInputNormalize(t *testing.T) {
	pub, errs := PublicInput{Name: "  Kids \u00A0 Online ", Category: " academia ", Country: "de ",
		Website: "HTTPS://Blog.Example.CO.UK/", Statement: " We commit.\r\nYearly. "}.Normalize()
	want := PublicFields{Name: "Kids Online", Category: CategoryAcademia, Country: "DE",
		Website: "https://blog.example.co.uk", WebsiteDomain: "example.co.uk", Statement: "We commit.\nYearly."}
	if len(errs) > 0 || pub != want {
		t.Errorf("got %+v %v, want %+v", pub, errs, want)
	}
	_, errs = PublicInput{Name: "x", Category: "none", Country: "ZZ", Website: "http://127.0.0.1",
		Statement: strings.Repeat("é", StatementMaxLen+1)}.Normalize()
	wantErrs := FieldErrors{
		{FieldName, ProblemTooShort, NameMinLen}, {FieldCategory, ProblemUnknown, 0}, {FieldCountry, ProblemUnknown, 0},
		{FieldWebsite, ProblemWebsiteHost, 0}, {FieldStatement, ProblemTooLong, StatementMaxLen},
	}
	if fmt.Sprint(errs) != fmt.Sprint(wantErrs) {
		t.Errorf("problems %v, want %v", errs, wantErrs)
	}
}
