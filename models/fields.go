package models

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of the answers, in characters. The forms read them for their maxlength, and every path
// that stores these fields (sign-up, the admin console's edit, the demo seed) checks them here.
const (
	NameMinLen      = 2
	NameMaxLen      = 200
	RoleMaxLen      = 200
	StatementMaxLen = 1000
)

// Field names one answer of a form that holds a signatory's fields. Its value is the id of the
// input in every form that asks for it, so a problem can be shown beside its input.
type Field string

// The fields of a signatory, in the order the forms ask for them.
const (
	FieldName         Field = "name"
	FieldCategory     Field = "category"
	FieldCountry      Field = "country"
	FieldWebsite      Field = "website"
	FieldStatement    Field = "statement"
	FieldContactName  Field = "contact-name"
	FieldContactRole  Field = "contact-role"
	FieldContactEmail Field = "contact-email"
)

// Fields lists every Field, in form order.
var Fields = []Field{FieldName, FieldCategory, FieldCountry, FieldWebsite, FieldStatement,
	FieldContactName, FieldContactRole, FieldContactEmail}

// Problem is what is wrong with one answer. The views turn it into words.
type Problem string

// The problems an answer can have.
const (
	ProblemMissing           Problem = "missing"             // empty, and the field is required
	ProblemTooShort          Problem = "too_short"           // fewer characters than FieldError.Limit
	ProblemTooLong           Problem = "too_long"            // more characters than FieldError.Limit
	ProblemInvisible         Problem = "invisible"           // control or invisible formatting characters, or not UTF-8
	ProblemUnknown           Problem = "unknown"             // not one of the choices (category, country)
	ProblemWebsiteScheme     Problem = "website_scheme"      // not http or https
	ProblemWebsiteCredential Problem = "website_credentials" // a user name or password in the address
	ProblemWebsiteHost       Problem = "website_host"        // no usable domain name
	ProblemEmailInvalid      Problem = "email_invalid"       // not one plain address
	ProblemEmailDomain       Problem = "email_domain"        // a domain that does not exist
)

// Problems lists every Problem, so that a test can check each has words in views.
var Problems = []Problem{ProblemMissing, ProblemTooShort, ProblemTooLong, ProblemInvisible, ProblemUnknown,
	ProblemWebsiteScheme, ProblemWebsiteCredential, ProblemWebsiteHost, ProblemEmailInvalid, ProblemEmailDomain}

// FieldError is a problem with one answer. Limit is the bound broken by ProblemTooShort and
// ProblemTooLong.
type FieldError struct {
	Field   Field
	Problem Problem
	Limit   int
}

// FieldErrors are the problems of a form, at most one per field, in form order.
type FieldErrors []FieldError

func (e *FieldErrors) add(f Field, p Problem, limit int) {
	for _, fe := range *e {
		if fe.Field == f {
			return
		}
	}
	*e = append(*e, FieldError{Field: f, Problem: p, Limit: limit})
}

// PublicInput is a signatory's public fields as typed into a form.
type PublicInput struct {
	Name, Category, Country, Website, Statement string
}

// Normalize checks the public fields and returns them in the form they are stored in, with the
// website's registrable domain, or the problems found. Sign-up, the admin console's edit and the
// demo seed all go through it.
func (in PublicInput) Normalize() (PublicFields, FieldErrors) {
	var errs FieldErrors
	pub := in.normalize(&errs)
	return pub, errs
}

func (in PublicInput) normalize(errs *FieldErrors) PublicFields {
	pub := PublicFields{
		Name:     cleanText(errs, FieldName, in.Name, NameMinLen, NameMaxLen, false),
		Category: Category(strings.TrimSpace(in.Category)),
		Country:  strings.ToUpper(strings.TrimSpace(in.Country)),
	}
	if !pub.Category.Valid() {
		errs.add(FieldCategory, problemChoice(in.Category), 0)
	}
	if !ValidCountry(pub.Country) {
		errs.add(FieldCountry, problemChoice(in.Country), 0)
	}
	if website := cleanText(errs, FieldWebsite, in.Website, 1, MaxWebsiteLen, false); website != "" {
		var err error
		pub.Website, pub.WebsiteDomain, err = NormalizeWebsite(website)
		switch {
		case errors.Is(err, ErrWebsiteScheme):
			errs.add(FieldWebsite, ProblemWebsiteScheme, 0)
		case errors.Is(err, ErrWebsiteCredentials):
			errs.add(FieldWebsite, ProblemWebsiteCredential, 0)
		case err != nil:
			errs.add(FieldWebsite, ProblemWebsiteHost, 0)
		}
	}
	pub.Statement = cleanText(errs, FieldStatement, in.Statement, 0, StatementMaxLen, true)
	return pub
}

func problemChoice(raw string) Problem {
	if strings.TrimSpace(raw) == "" {
		return ProblemMissing
	}
	return ProblemUnknown
}

// ApplicationInput is a sign-up as typed: the public fields and the contact person.
type ApplicationInput struct {
	PublicInput
	ContactName, ContactRole, ContactEmail string
}

// Normalize checks a sign-up and returns the application to store, or the problems found.
func (in ApplicationInput) Normalize() (Application, FieldErrors) {
	var errs FieldErrors
	app := Application{PublicFields: in.PublicInput.normalize(&errs)}
	c := ContactInput{Name: in.ContactName, Role: in.ContactRole, Email: in.ContactEmail}.normalize(&errs)
	app.ContactName, app.ContactRole, app.ContactEmail, app.ContactEmailDomain = c.Name, c.Role, c.Email, c.EmailDomain
	return app, errs
}

// ContactInput is a contact person as typed: into the sign-up form, or into the manage page's
// hand-over to a new contact.
type ContactInput struct {
	Name, Role, Email string
}

// Contact is a contact person that passed ContactInput.Normalize, with the registrable domain
// of the email address.
type Contact struct {
	Name, Role, Email, EmailDomain string
}

// Normalize checks a contact person and returns it as stored, or the problems found, with the
// fields and limits of sign-up.
func (in ContactInput) Normalize() (Contact, FieldErrors) {
	var errs FieldErrors
	c := in.normalize(&errs)
	return c, errs
}

func (in ContactInput) normalize(errs *FieldErrors) Contact {
	var c Contact
	c.Name = cleanText(errs, FieldContactName, in.Name, NameMinLen, NameMaxLen, false)
	c.Role = cleanText(errs, FieldContactRole, in.Role, 1, RoleMaxLen, false)
	var problem Problem
	c.Email, c.EmailDomain, problem = EmailAnswer(in.Email)
	if problem != "" {
		errs.add(FieldContactEmail, problem, 0)
	}
	return c
}

// EmailAnswer checks an email address typed into a form and returns it as NormalizeEmail does,
// or the problem with it.
func EmailAnswer(raw string) (email, domain string, problem Problem) {
	if strings.TrimSpace(raw) == "" {
		return "", "", ProblemMissing
	}
	email, domain, err := NormalizeEmail(raw)
	switch {
	case errors.Is(err, ErrEmailDomain):
		return "", "", ProblemEmailDomain
	case err != nil:
		return "", "", ProblemEmailInvalid
	}
	return email, domain, ""
}

// cleanText checks a text answer and returns it tidied: in Unicode NFC, trimmed, and, unless
// multiline, with runs of white space made one space. Invisible characters (see invisibleAt) and
// text that is not UTF-8 are refused. Lengths count characters, not bytes. An empty answer is
// missing, unless min is 0.
func cleanText(errs *FieldErrors, f Field, raw string, min, max int, multiline bool) string {
	if !utf8.ValidString(raw) {
		errs.add(f, ProblemInvisible, 0)
		return ""
	}
	s := raw
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if hasInvisible(s, multiline) {
		errs.add(f, ProblemInvisible, 0)
		return ""
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
		errs.add(f, ProblemMissing, 0)
	case n > 0 && n < min:
		errs.add(f, ProblemTooShort, min)
	case n > max:
		errs.add(f, ProblemTooLong, max)
	}
	return s
}

// hasInvisible reports whether s holds a character that invisibleAt refuses.
func hasInvisible(s string, multiline bool) bool {
	rs := []rune(s)
	for i := range rs {
		if invisibleAt(rs, i, multiline) {
			return true
		}
	}
	return false
}

// invisibleAt reports whether rs[i] is a character that shows as nothing or changes how the text
// around it shows, so that a name could look like another or display as something it is not:
// control characters (other than line breaks in multiline text), format characters (Unicode
// category Cf: zero-width space, bidi controls, soft hyphen, byte order mark, tags…) and the
// other default-ignorable characters (Hangul fillers and the like). The zero-width non-joiner and
// joiner are spelling in Arabic, Persian and the Indic scripts, so they are allowed between two
// letters (or vowel signs) of a script other than Latin, Greek and Cyrillic.
func invisibleAt(rs []rune, i int, multiline bool) bool {
	r := rs[i]
	switch {
	case r == '\n':
		return !multiline
	case unicode.IsControl(r):
		return true
	case r == '\u200C' || r == '\u200D':
		return i == 0 || i == len(rs)-1 || !joiningLetter(rs[i-1]) || !joiningLetter(rs[i+1])
	}
	return unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point)
}

// joiningLetter reports a letter or vowel sign (a virama, say) of a script that spells with
// the zero-width joiner and non-joiner.
func joiningLetter(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsMark(r)) &&
		!unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Common, unicode.Inherited)
}
