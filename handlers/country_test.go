package handlers_test

import (
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
	"charter/models/dbtest"
)

// The Russian pages name countries in Russian, in Russian alphabetical order: the list's filter,
// its rows and the sign-up form. The English pages keep the English names.
func TestCountriesAreNamedInThePagesLanguage(t *testing.T) {
	a := newApp(t)
	for _, code := range []string{"FR", "DE", "AT"} {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Country = code })
	}
	options := func(d *goquery.Document, sel string, codes ...string) []string {
		var names []string
		d.Find(sel).Each(func(_ int, s *goquery.Selection) {
			if v, _ := s.Attr("value"); slices.Contains(codes, v) {
				names = append(names, text(s))
			}
		})
		return names
	}
	for _, tc := range []struct {
		prefix string
		want   []string
	}{
		{"", []string{"Austria", "France", "Germany"}},
		{"/ru", []string{"Австрия", "Германия", "Франция"}},
	} {
		filter := options(doc(t, a.get(tc.prefix+"/signatories")), "select#country option", "AT", "DE", "FR")
		if !slices.Equal(filter, tc.want) {
			t.Errorf("%s/signatories: country filter %q, want %q", tc.prefix, filter, tc.want)
		}
		form := options(doc(t, a.get(tc.prefix+"/sign")), "select#country option", "AT", "DE", "FR")
		if !slices.Equal(form, tc.want) {
			t.Errorf("%s/sign: countries %q, want %q", tc.prefix, form, tc.want)
		}
	}
	if cells := text(doc(t, a.get("/ru/signatories")).Find("tbody")); !contains(cells, "Германия") || contains(cells, "Germany") {
		t.Errorf("the Russian list's rows: %q", cells)
	}
}
