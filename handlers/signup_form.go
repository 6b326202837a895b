package handlers

import (
	"github.com/labstack/echo/v4"

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

// Validate checks every answer with the models' normaliser (the one the admin console's edit
// uses too) and the declarations of this form, and returns the application to store, or the
// problems to show beside each field, in the order of the form.
func (f *signupForm) Validate(charterVersion string) (models.Application, views.FieldErrors) {
	app, problems := models.ApplicationInput{
		PublicInput: models.PublicInput{Name: f.Name, Category: f.Category, Country: f.Country,
			Website: f.Website, Statement: f.Statement},
		ContactName: f.ContactName, ContactRole: f.ContactRole, ContactEmail: f.ContactEmail,
	}.Normalize()
	errs := views.FieldMessages(problems)
	if !f.Authorised {
		errs.Add("authorised", views.MsgAuthorisedMissing)
	}
	if f.Version != "" && f.Version != charterVersion {
		errs.Add("agrees", views.MsgCharterChanged)
		f.Agrees, f.Version = false, charterVersion
	} else if !f.Agrees {
		errs.Add("agrees", views.MsgAgreesMissing)
	}
	return app, errs
}
