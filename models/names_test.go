package models

import "testing"

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
