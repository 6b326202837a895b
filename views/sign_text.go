package views

import (
	"fmt"

	"charter/models"
)

// ErrorSummaryTitle heads the list of a form's problems.
const ErrorSummaryTitle = "There is a problem"

// The messages of the sign-up, resend and manage forms, beside the field they are about. The
// handlers' Validate methods choose them; the words are here so they can be translated.
const (
	MsgNameMissing        = "Enter the name of your organisation"
	MsgCategoryMissing    = "Choose the group your organisation belongs to"
	MsgCountryMissing     = "Choose the country your organisation is based in"
	MsgWebsiteMissing     = "Enter your organisation's website, starting with https://"
	MsgWebsiteScheme      = "Enter a web address starting with https:// or http://"
	MsgWebsiteCredentials = "Remove the user name and password from the web address"
	MsgWebsiteHost        = "Enter your organisation's website as a full address, like https://www.example.org"
	MsgContactNameMissing = "Enter your full name"
	MsgContactRoleMissing = "Enter your role in the organisation"
	MsgEmailMissing       = "Enter your email address"
	MsgEmailInvalid       = "Enter one email address in the correct format, like name@example.org"
	MsgEmailDomain        = "Enter an email address on a domain that exists, like name@example.org"
	MsgAuthorisedMissing  = "Confirm that you are authorised to sign on behalf of your organisation"
	MsgAgreesMissing      = "Confirm that your organisation agrees to the charter and to its name being published"
)

// MsgTooShort says an answer is shorter than it must be.
func MsgTooShort(what string, n int) string {
	return fmt.Sprintf("%s must be at least %d characters", what, n)
}

// MsgTooLong says an answer is longer than it may be.
func MsgTooLong(what string, n int) string {
	return fmt.Sprintf("%s must be %d characters or fewer", what, n)
}

// MsgControlChars says an answer holds invisible control characters.
func MsgControlChars(what string) string {
	return fmt.Sprintf("%s must not contain control characters or invisible formatting characters", what)
}

// The names of the sign-up form's answers, as the messages above refer to them.
const (
	WhatName        = "The organisation's name"
	WhatCategory    = "The group"
	WhatCountry     = "The country"
	WhatWebsite     = "The website"
	WhatStatement   = "The commitment statement"
	WhatContactName = "Your name"
	WhatContactRole = "Your role"
	WhatEmail       = "The email address"
)

// fieldWhat names each field in the messages about it.
var fieldWhat = map[models.Field]string{
	models.FieldName: WhatName, models.FieldCategory: WhatCategory, models.FieldCountry: WhatCountry,
	models.FieldWebsite: WhatWebsite, models.FieldStatement: WhatStatement, models.FieldContactName: WhatContactName,
	models.FieldContactRole: WhatContactRole, models.FieldContactEmail: WhatEmail,
}

// fieldMissing asks for each field that was left empty, or whose choice is not on the list.
var fieldMissing = map[models.Field]string{
	models.FieldName: MsgNameMissing, models.FieldCategory: MsgCategoryMissing, models.FieldCountry: MsgCountryMissing,
	models.FieldWebsite: MsgWebsiteMissing, models.FieldStatement: MsgStatementMissing,
	models.FieldContactName: MsgContactNameMissing, models.FieldContactRole: MsgContactRoleMissing,
	models.FieldContactEmail: MsgEmailMissing,
}

// MsgStatementMissing is never shown while the statement is optional; it is here so that every
// field has words for every problem.
const MsgStatementMissing = "Enter your organisation's commitment statement"

// FieldMessage is what a person is told about one problem of a form's answer.
func FieldMessage(e models.FieldError) string {
	what := fieldWhat[e.Field]
	switch e.Problem {
	case models.ProblemMissing, models.ProblemUnknown:
		return fieldMissing[e.Field]
	case models.ProblemTooShort:
		return MsgTooShort(what, e.Limit)
	case models.ProblemTooLong:
		return MsgTooLong(what, e.Limit)
	case models.ProblemInvisible:
		return MsgControlChars(what)
	case models.ProblemWebsiteScheme:
		return MsgWebsiteScheme
	case models.ProblemWebsiteCredential:
		return MsgWebsiteCredentials
	case models.ProblemWebsiteHost:
		return MsgWebsiteHost
	case models.ProblemEmailInvalid:
		return MsgEmailInvalid
	case models.ProblemEmailDomain:
		return MsgEmailDomain
	}
	return ""
}

// FieldMessages puts the problems found by the models' normaliser into words, beside their fields.
func FieldMessages(errs models.FieldErrors) FieldErrors {
	var out FieldErrors
	for _, e := range errs {
		out.Add(string(e.Field), FieldMessage(e))
	}
	return out
}

// MsgCharterChanged asks the applicant to agree again because the charter changed while the form
// was open.
const MsgCharterChanged = "The charter has changed since you opened this form. Read it again, then confirm that your organisation agrees to this version"

// CategoryLongLabel is a stakeholder category as offered on the sign-up form, with examples.
func CategoryLongLabel(c models.Category) string {
	if c == models.CategoryCivilSociety {
		return "Civil society — NGOs, foundations, associations"
	}
	return CategoryLabel(c)
}
