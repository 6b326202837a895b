package views

import (
	"context"
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"charter/models"
)

// Country is one choice of the country list.
type Country struct {
	Code, Name string
}

// countryOverrides replace the few names of CLDR (as golang.org/x/text has it) that read wrong
// in a list of countries: abbreviated ("о-ва"), lower-case at the start, or out of date.
var countryOverrides = map[Lang]map[string]string{
	Russian: {
		"AX": "Аландские острова",
		"BM": "Бермудские острова",
		"BV": "Остров Буве",
		"CC": "Кокосовые острова",
		"CD": "Демократическая Республика Конго",
		"CG": "Республика Конго",
		"CX": "Остров Рождества",
		"FK": "Фолклендские острова",
		"FO": "Фарерские острова",
		"GS": "Южная Георгия и Южные Сандвичевы острова",
		"HM": "Острова Херд и Макдональд",
		"IM": "Остров Мэн",
		"KY": "Каймановы острова",
		"MK": "Северная Македония",
		"MP": "Северные Марианские острова",
		"NF": "Остров Норфолк",
		"PN": "Острова Питкэрн",
		"SH": "Остров Святой Елены",
		"SZ": "Эсватини",
		"TC": "Острова Тёркс и Кайкос",
		"UM": "Внешние малые острова (США)",
		"VG": "Виргинские острова (Великобритания)",
		"VI": "Виргинские острова (США)",
	},
}

// countryNamers are CLDR's names of regions, one namer per language of the site.
var countryNamers = map[Lang]display.Namer{
	English: display.English.Regions(),
	Russian: display.Russian.Regions(),
}

// countryNames caches the name of each country code asked for, by language and code.
var countryNames sync.Map

type countryKey struct {
	lang Lang
	code string
}

// CountryNameIn is the name of an ISO 3166-1 alpha-2 code in language l ("FR" → "France",
// "Франция"), or the code itself when it is not a known region. (The sign-up form names
// countries the same way.)
func CountryNameIn(l Lang, code string) string {
	key := countryKey{l, code}
	if v, ok := countryNames.Load(key); ok {
		return v.(string)
	}
	name := code
	if n, ok := countryOverrides[l][code]; ok {
		name = n
	} else if r, err := language.ParseRegion(code); err == nil && r.IsCountry() {
		namer, ok := countryNamers[l]
		if !ok {
			namer = countryNamers[English]
		}
		if n := namer.Name(r); n != "" {
			name = n
		}
	}
	countryNames.Store(key, name)
	return name
}

// CountryName is CountryNameIn the language of ctx.
func CountryName(ctx context.Context, code string) string { return CountryNameIn(LangOf(ctx), code) }

// CountryOptions lists models.Countries by their names in the language of ctx, in that
// language's alphabetical order.
func CountryOptions(ctx context.Context) []Country { return CountryOptionsIn(LangOf(ctx)) }

// CountryOptionsIn is CountryOptions in language l. The list is made once per language and
// shared: callers must not change it.
func CountryOptionsIn(l Lang) []Country {
	if _, ok := countryNamers[l]; !ok {
		l = English
	}
	return countryLists[l]()
}

// countryLists make each language's list of countries once.
var countryLists = func() map[Lang]func() []Country {
	m := make(map[Lang]func() []Country, len(countryNamers))
	for l := range countryNamers {
		m[l] = sync.OnceValue(func() []Country {
			codes := models.Countries()
			list := make([]Country, len(codes))
			for i, code := range codes {
				list[i] = Country{Code: code, Name: CountryNameIn(l, code)}
			}
			sortByName(l, list, func(c Country) string { return c.Name })
			return list
		})
	}
	return m
}()

// DirectoryCountries names the countries of the list's filter, with their counts, in the
// language of ctx and in the same alphabetical order as the sign-up form's list.
func DirectoryCountries(ctx context.Context, counts []models.CountryCount) []CountryOption {
	l := LangOf(ctx)
	out := make([]CountryOption, len(counts))
	for i, c := range counts {
		out[i] = CountryOption{Code: c.Country, Name: CountryNameIn(l, c.Country), Count: c.Count}
	}
	sortByName(l, out, func(c CountryOption) string { return c.Name })
	return out
}

// sortByName sorts countries by name as a reader of language l expects: in that language's
// alphabetical order, without regard to case or accents, so "Côte d’Ivoire" sorts among the C's.
func sortByName[T any](l Lang, list []T, name func(T) string) {
	c := collate.New(l.Tag(), collate.IgnoreCase, collate.IgnoreDiacritics)
	sort.SliceStable(list, func(i, j int) bool { return c.CompareString(name(list[i]), name(list[j])) < 0 })
}
