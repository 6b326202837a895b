package handlers

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/unicode/norm"

	"charter/models"
	"charter/views"
)

// signupForm is the sign-up form as posted. Version is the charter version the form showed, so
// that an organisation never agrees to a text it has not seen.
type signupForm struct {
	views.SignValues
	Version string
}

func parseSignupForm(c echo.Context) signupForm {
	return signupForm{
		SignValues: views.SignValues{
			Name:         c.FormValue("name"),
			Category:     c.FormValue("category"),
			Country:      c.FormValue("country"),
			Website:      c.FormValue("website"),
			Statement:    c.FormValue("statement"),
			ContactName:  c.FormValue("contact-name"),
			ContactRole:  c.FormValue("contact-role"),
			ContactEmail: c.FormValue("contact-email"),
			Authorised:   c.FormValue("authorised") == "yes",
			Agrees:       c.FormValue("agrees") == "yes",
		},
		Version: c.FormValue("version"),
	}
}

// Validate checks every answer against the rules of the charter's sign-up and returns the
// application to store, or the problems to show beside each field, in the order of the form.
func (f *signupForm) Validate(charterVersion string) (models.Application, views.FieldErrors) {
	var errs views.FieldErrors
	app := models.Application{
		Name:        cleanText(&errs, "name", views.WhatName, f.Name, views.NameMinLen, views.NameMaxLen, false, views.MsgNameMissing),
		Category:    models.Category(f.Category),
		Country:     strings.ToUpper(strings.TrimSpace(f.Country)),
		ContactName: cleanText(&errs, "contact-name", views.WhatContactName, f.ContactName, views.NameMinLen, views.NameMaxLen, false, views.MsgContactNameMissing),
		ContactRole: cleanText(&errs, "contact-role", views.WhatContactRole, f.ContactRole, 1, views.RoleMaxLen, false, views.MsgContactRoleMissing),
		Statement:   cleanText(&errs, "statement", views.WhatStatement, f.Statement, 0, views.StatementMaxLen, true, ""),
	}
	if !app.Category.Valid() {
		errs.Add("category", views.MsgCategoryMissing)
	}
	if !models.ValidCountry(app.Country) {
		errs.Add("country", views.MsgCountryMissing)
	}
	if website := cleanText(&errs, "website", views.WhatWebsite, f.Website, 1, models.MaxWebsiteLen, false, views.MsgWebsiteMissing); website != "" {
		var err error
		app.Website, app.WebsiteDomain, err = models.NormalizeWebsite(website)
		switch {
		case errors.Is(err, models.ErrWebsiteScheme):
			errs.Add("website", views.MsgWebsiteScheme)
		case errors.Is(err, models.ErrWebsiteCredentials):
			errs.Add("website", views.MsgWebsiteCredentials)
		case err != nil:
			errs.Add("website", views.MsgWebsiteHost)
		}
	}
	app.ContactEmail, app.ContactEmailDomain = validEmail(&errs, "contact-email", f.ContactEmail)
	if !f.Authorised {
		errs.Add("authorised", views.MsgAuthorisedMissing)
	}
	if f.Version != "" && f.Version != charterVersion {
		errs.Add("agrees", views.MsgCharterChanged)
		f.Agrees, f.Version = false, charterVersion
	} else if !f.Agrees {
		errs.Add("agrees", views.MsgAgreesMissing)
	}
	return app, sortErrors(errs)
}

// formOrder is the order of the sign-up form's fields, for the error summary.
var formOrder = []string{"name", "category", "country", "website", "statement",
	"contact-name", "contact-role", "contact-email", "authorised", "agrees"}

func sortErrors(errs views.FieldErrors) views.FieldErrors {
	var out views.FieldErrors
	for _, id := range formOrder {
		if msg := errs.For(id); msg != "" {
			out.Add(id, msg)
		}
	}
	return out
}

// validEmail checks an email address answer and returns it normalised, with its registrable
// domain, or records the problem.
func validEmail(errs *views.FieldErrors, id, raw string) (email, domain string) {
	if strings.TrimSpace(raw) == "" {
		errs.Add(id, views.MsgEmailMissing)
		return "", ""
	}
	email, domain, err := models.NormalizeEmail(raw)
	switch {
	case errors.Is(err, models.ErrEmailDomain):
		errs.Add(id, views.MsgEmailDomain)
	case err != nil:
		errs.Add(id, views.MsgEmailInvalid)
	}
	return email, domain
}

// cleanText checks a text answer and returns it tidied: in Unicode NFC, trimmed, and, unless
// multiline, with runs of white space made one space. Control characters (other than line breaks
// in a multiline answer) and the invisible characters that reorder text are refused, as is text
// that is not UTF-8. Lengths count characters, not bytes. An empty answer gets missing, unless
// min is 0.
func cleanText(errs *views.FieldErrors, id, what, raw string, min, max int, multiline bool, missing string) string {
	if !utf8.ValidString(raw) {
		errs.Add(id, views.MsgControlChars(what))
		return ""
	}
	s := raw
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	for _, r := range s {
		if (unicode.IsControl(r) && !(multiline && r == '\n')) || isBidiControl(r) {
			errs.Add(id, views.MsgControlChars(what))
			return ""
		}
	}
	s = norm.NFC.String(s)
	if multiline {
		s = strings.TrimSpace(s)
	} else {
		s = strings.Join(strings.Fields(s), " ")
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && min > 0:
		errs.Add(id, missing)
	case n > 0 && n < min:
		errs.Add(id, views.MsgTooShort(what, min))
	case n > max:
		errs.Add(id, views.MsgTooLong(what, max))
	}
	return s
}

// isBidiControl reports the characters that override or isolate the direction of text: they can
// make a name display as something other than what it is.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}
