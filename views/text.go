// Package views holds every page and piece of user-facing text, as templ components that receive
// plain data. Nothing here touches the database. The words themselves are messages in
// locale/LANG.toml (see i18n.go).
package views

import (
	"context"
	"strconv"

	"charter/models"
)

// SiteName is the English name of the site, for the emails still written in English only; pages
// use the message site.name.
const SiteName = "Digital Ethics of Childhood Charter"

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

// CategoryName is the name of a stakeholder category in the language of ctx.
func CategoryName(ctx context.Context, c models.Category) string {
	return CategoryNameIn(LangOf(ctx), c)
}

// CategoryNameIn is CategoryName in a given language; an unknown category is shown as it is.
func CategoryNameIn(l Lang, c models.Category) string {
	if !c.Valid() {
		return string(c)
	}
	return Tr(l, "category."+string(c))
}

// CategoryLabel is the English name of a stakeholder category. Deprecated: use CategoryName.
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
