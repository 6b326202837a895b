package views

import (
	"sort"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"charter/models"
)

// Country is one choice of the country list.
type Country struct {
	Code, Name string
}

// CountryOptions lists models.Countries by their English names in alphabetical order.
func CountryOptions() []Country {
	countryOnce.Do(func() {
		for _, code := range models.Countries() {
			countryList = append(countryList, Country{Code: code, Name: CountryName(code)})
		}
		sortByName(countryList, func(c Country) string { return c.Name })
	})
	return countryList
}

// DirectoryCountries names the countries of the list's filter, with their counts, in the same
// alphabetical order as the sign-up form's list.
func DirectoryCountries(counts []models.CountryCount) []CountryOption {
	out := make([]CountryOption, len(counts))
	for i, c := range counts {
		out[i] = CountryOption{Code: c.Country, Name: CountryName(c.Country), Count: c.Count}
	}
	sortByName(out, func(c CountryOption) string { return c.Name })
	return out
}

// sortByName sorts countries alphabetically by name as a reader expects: without regard to case
// or accents, so "Côte d’Ivoire" sorts among the C's.
func sortByName[T any](list []T, name func(T) string) {
	c := collate.New(language.English, collate.IgnoreCase, collate.IgnoreDiacritics)
	sort.SliceStable(list, func(i, j int) bool { return c.CompareString(name(list[i]), name(list[j])) < 0 })
}

var (
	countryOnce sync.Once
	countryList []Country
)
