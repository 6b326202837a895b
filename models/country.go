package models

import (
	"slices"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Countries returns the ISO 3166-1 alpha-2 codes of the countries and territories an organisation
// may be based in, sorted. The list comes from golang.org/x/text (CLDR), not typed by hand: every
// two-letter region that CLDR counts as a country, that has a UN M49 number (which drops
// CLDR-only areas such as AC or EA) and that is not deprecated (BU, DD, SU, YU and the like are
// replaced or have no name any more). This gives the 249 assigned ISO 3166-1 codes.
func Countries() []string {
	countriesOnce.Do(func() {
		names := display.English.Regions()
		for a := 'A'; a <= 'Z'; a++ {
			for b := 'A'; b <= 'Z'; b++ {
				code := string([]rune{a, b})
				r, err := language.ParseRegion(code)
				if err != nil || r.String() != code || !r.IsCountry() || r.IsPrivateUse() ||
					r.M49() == 0 || r.Canonicalize() != r || names.Name(r) == "" {
					continue
				}
				countries = append(countries, code)
			}
		}
	})
	return countries
}

var (
	countriesOnce sync.Once
	countries     []string
)

// ValidCountry reports whether code is one of Countries.
func ValidCountry(code string) bool {
	_, found := slices.BinarySearch(Countries(), code)
	return found
}
