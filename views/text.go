// Package views holds every page and piece of user-facing text, as templ components that receive
// plain data. Nothing here touches the database. Keeping the words here means a second language
// can later be added in this one package.
package views

import (
	"strconv"

	"charter/models"
)

// SiteName is the name of the site, shown in every title and the header.
const SiteName = "Digital Ethics of Childhood Charter"

// HomeDescription is the home page's summary for search engines and link previews.
const HomeDescription = "A voluntary charter on protecting children in the digital environment. " +
	"Read it, see the organisations that have signed it, and sign on behalf of yours."

// formatCount writes a number of things as every page shows it: 12345 as 12,345.
func formatCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	start := 0
	if n < 0 {
		start = 1
	}
	for i := len(s) - 3; i > start; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CategoryLabel is the human name of a stakeholder category.
func CategoryLabel(c models.Category) string {
	switch c {
	case models.CategoryGovernment:
		return "Government and public bodies"
	case models.CategoryBusiness:
		return "Business"
	case models.CategoryCivilSociety:
		return "Civil society"
	case models.CategoryAcademia:
		return "Academia and research"
	case models.CategoryInternational:
		return "International organisations"
	}
	return string(c)
}
