package handlers

import (
	"strings"
	"testing"
	"unicode/utf8"

	"charter/models"
	"charter/views"
)

// FuzzSignupValidate feeds arbitrary answers to the sign-up form's validation: it never panics,
// and what it accepts is within the form's rules (valid UTF-8, within the lengths, no control
// characters in one-line fields, a category and country it knows).
func FuzzSignupValidate(f *testing.F) {
	f.Add("Ärzte ohne Grenzen", "civil_society", "DE", "https://aerzte.de", "We commit.", "Anna", "Head", "anna@aerzte.de", "v1")
	f.Add("<script>", "nope", "XX", "javascript:alert(1)", "\x00", "\u202e", "", "a@b\r\nBcc: c@d", "")
	f.Fuzz(func(t *testing.T, name, category, country, website, statement, contact, role, email, version string) {
		form := signupForm{SignValues: views.SignValues{
			Name: name, Category: category, Country: country, Website: website, Statement: statement,
			ContactName: contact, ContactRole: role, ContactEmail: email, Authorised: true, Agrees: true,
		}, Version: version}
		app, errs := form.Validate("v1")
		if len(errs) > 0 {
			return
		}
		for field, v := range map[string]string{"name": app.Name, "contact name": app.ContactName, "role": app.ContactRole, "email": app.ContactEmail} {
			if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("accepted %s %q", field, v)
			}
		}
		if n := utf8.RuneCountInString(app.Name); n < models.NameMinLen || n > models.NameMaxLen {
			t.Fatalf("accepted a name of %d characters", n)
		}
		if utf8.RuneCountInString(app.Statement) > models.StatementMaxLen || !app.Category.Valid() || len(app.Country) != 2 {
			t.Fatalf("accepted %+v", app)
		}
	})
}
