// Package views holds every page and piece of user-facing text, as templ components that receive
// plain data. Nothing here touches the database. Keeping the words here means a second language
// can later be added in this one package.
package views

import "charter/models"

// SiteName is the name of the site, shown in every title and the header.
const SiteName = "Digital Ethics of Childhood Charter"

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
