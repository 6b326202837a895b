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
		c := collate.New(language.English, collate.IgnoreCase, collate.IgnoreDiacritics)
		sort.SliceStable(countryList, func(i, j int) bool {
			return c.CompareString(countryList[i].Name, countryList[j].Name) < 0
		})
	})
	return countryList
}

var (
	countryOnce sync.Once
	countryList []Country
)
