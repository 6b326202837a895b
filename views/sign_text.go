package views

import (
	"charter/models"
)

// The messages of the sign-up, resend and manage forms, beside the field they are about, are keys
// in locale/*.toml ("sign.problem.…", "sign.missing.…"). FieldMessage chooses them for the models'
// problems; the handlers choose the declarations' own.

// fieldWhat names each field in the messages about its length and characters.
var fieldWhat = map[models.Field]string{
	models.FieldName:         "sign.what.name",
	models.FieldCategory:     "sign.what.category",
	models.FieldCountry:      "sign.what.country",
	models.FieldWebsite:      "sign.what.website",
	models.FieldStatement:    "sign.what.statement",
	models.FieldContactName:  "sign.what.contact_name",
	models.FieldContactRole:  "sign.what.contact_role",
	models.FieldContactEmail: "sign.what.email",
}

// fieldMissing asks for each field that was left empty, or whose choice is not on the list. The
// statement's is never shown while the statement is optional; it is there so that every field
// has words for every problem.
var fieldMissing = map[models.Field]string{
	models.FieldName:         "sign.missing.name",
	models.FieldCategory:     "sign.missing.category",
	models.FieldCountry:      "sign.missing.country",
	models.FieldWebsite:      "sign.missing.website",
	models.FieldStatement:    "sign.missing.statement",
	models.FieldContactName:  "sign.missing.contact_name",
	models.FieldContactRole:  "sign.missing.contact_role",
	models.FieldContactEmail: "sign.missing.email",
}

// problemKey is the message of each problem that reads the same for every field.
var problemKey = map[models.Problem]string{
	models.ProblemWebsiteScheme:     "sign.problem.website_scheme",
	models.ProblemWebsiteCredential: "sign.problem.website_credentials",
	models.ProblemWebsiteHost:       "sign.problem.website_host",
	models.ProblemEmailInvalid:      "sign.problem.email_invalid",
	models.ProblemEmailDomain:       "sign.problem.email_domain",
}

// FieldMessage is what a person is told about one problem of a form's answer; limits are
// written as the page's language writes numbers.
func FieldMessage(e models.FieldError) FormMessage {
	what := Say(fieldWhat[e.Field])
	switch e.Problem {
	case models.ProblemMissing, models.ProblemUnknown:
		return Say(fieldMissing[e.Field])
	case models.ProblemTooShort:
		return SayN("sign.problem.too_short", int64(e.Limit), "What", what)
	case models.ProblemTooLong:
		return SayN("sign.problem.too_long", int64(e.Limit), "What", what)
	case models.ProblemInvisible:
		return Say("sign.problem.invisible", "What", what)
	}
	return Say(problemKey[e.Problem])
}

// FieldMessages puts the problems found by the models' normaliser beside their fields.
func FieldMessages(errs models.FieldErrors) FieldErrors {
	var out FieldErrors
	for _, e := range errs {
		out.Add(string(e.Field), FieldMessage(e))
	}
	return out
}

// The messages of the sign-up form's declarations, which the handlers check themselves.
var (
	// MsgAuthorisedMissing: the box "I am authorised" is not ticked.
	MsgAuthorisedMissing = Say("sign.missing.authorised")
	// MsgAgreesMissing: the box "My organisation agrees" is not ticked.
	MsgAgreesMissing = Say("sign.missing.agrees")
	// MsgCharterChanged asks the applicant to agree again because the charter changed while the
	// form was open.
	MsgCharterChanged = Say("sign.charter_changed")
)

// categoryLongKey is each stakeholder category as the sign-up form offers it, with examples.
var categoryLongKey = map[models.Category]string{
	models.CategoryGovernment:    "sign.category.government",
	models.CategoryBusiness:      "sign.category.business",
	models.CategoryCivilSociety:  "sign.category.civil_society",
	models.CategoryEducation:     "sign.category.education",
	models.CategoryAcademia:      "sign.category.academia",
	models.CategoryInternational: "sign.category.international",
}
