package views

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"

	"charter/models"
)

func TestCountryNamesInEachLanguage(t *testing.T) {
	for _, tc := range []struct {
		code, en, ru string
	}{
		{"DE", "Germany", "Германия"},
		{"FR", "France", "Франция"},
		{"CI", "Côte d’Ivoire", "Кот-д’Ивуар"},
		{"RU", "Russia", "Россия"},
		{"AT", "Austria", "Австрия"},
		{"IM", "Isle of Man", "Остров Мэн"},       // CLDR: о-в Мэн
		{"MK", "Macedonia", "Северная Македония"}, // CLDR as x/text has it: Македония
		{"QQ", "QQ", "QQ"},                        // not a region: the code
	} {
		if got := CountryNameIn(English, tc.code); got != tc.en {
			t.Errorf("%s in English: %q, want %q", tc.code, got, tc.en)
		}
		if got := CountryNameIn(Russian, tc.code); got != tc.ru {
			t.Errorf("%s in Russian: %q, want %q", tc.code, got, tc.ru)
		}
		if got := CountryName(WithLang(context.Background(), Russian), tc.code); got != tc.ru {
			t.Errorf("%s in a Russian request: %q, want %q", tc.code, got, tc.ru)
		}
		if got := CountryName(context.Background(), tc.code); got != tc.en {
			t.Errorf("%s in a request without a language: %q, want English %q", tc.code, got, tc.en)
		}
	}
}

// Every country of the list has a name of its own in every language, as a list shows it: not
// the code, not abbreviated, starting with a capital, and no two alike.
func TestEveryCountryHasAProperName(t *testing.T) {
	for _, l := range Languages {
		seen := map[string]string{}
		for _, c := range CountryOptionsIn(l) {
			first, _ := utf8First(c.Name)
			switch {
			case c.Name == c.Code:
				t.Errorf("%s: %s has no name", l, c.Code)
			case strings.Contains(c.Name, "о-в"):
				t.Errorf("%s: %s is abbreviated: %q", l, c.Code, c.Name)
			case !unicode.IsUpper(first):
				t.Errorf("%s: %s starts in lower case: %q", l, c.Code, c.Name)
			case seen[c.Name] != "":
				t.Errorf("%s: %s and %s are both %q", l, seen[c.Name], c.Code, c.Name)
			}
			seen[c.Name] = c.Code
		}
		if len(seen) != len(models.Countries()) {
			t.Errorf("%s: %d countries named, want %d", l, len(seen), len(models.Countries()))
		}
	}
}

func utf8First(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// The lists are in each language's alphabetical order: Austria, Côte d’Ivoire (among the C's),
// France, Germany in English; Австрия, Германия, Кот-д’Ивуар, Франция in Russian.
func TestCountriesAreInTheLanguagesOrder(t *testing.T) {
	order := func(l Lang, codes ...string) []string {
		var out []string
		for _, c := range CountryOptionsIn(l) {
			if slices.Contains(codes, c.Code) {
				out = append(out, c.Code)
			}
		}
		return out
	}
	codes := []string{"FR", "DE", "CI", "AT", "CA", "CU", "RU"}
	if got, want := order(English, codes...), []string{"AT", "CA", "CI", "CU", "FR", "DE", "RU"}; !slices.Equal(got, want) {
		t.Errorf("English order %q, want %q", got, want)
	}
	// Австрия, Германия, Канада, Кот-д’Ивуар, Куба, Россия, Франция
	if got, want := order(Russian, codes...), []string{"AT", "DE", "CA", "CI", "CU", "RU", "FR"}; !slices.Equal(got, want) {
		t.Errorf("Russian order %q, want %q", got, want)
	}

	counts := []models.CountryCount{{Country: "FR", Count: 3}, {Country: "DE", Count: 1}, {Country: "AT", Count: 2}}
	ru := DirectoryCountries(WithLang(context.Background(), Russian), counts)
	var names []string
	for _, c := range ru {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ", "); got != "Австрия, Германия, Франция" || ru[2].Count != 3 {
		t.Errorf("the Russian filter: %q (France's count %d), want Австрия, Германия, Франция", got, ru[2].Count)
	}
	en := DirectoryCountries(context.Background(), counts)
	if en[0].Name != "Austria" || en[1].Name != "France" || en[2].Name != "Germany" {
		t.Errorf("the English filter: %+v", en)
	}
}
