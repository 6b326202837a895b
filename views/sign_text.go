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
	WhatWebsite     = "The website"
	WhatStatement   = "The commitment statement"
	WhatContactName = "Your name"
	WhatContactRole = "Your role"
	WhatEmail       = "The email address"
)

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
