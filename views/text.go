// Package views holds every page and piece of user-facing text, as templ components that receive
// plain data. Nothing here touches the database. The words themselves are messages in
// locale/LANG.toml (see i18n.go).
package views

import (
	"context"

	"charter/models"
)

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
