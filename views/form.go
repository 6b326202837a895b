package views

import (
	"context"

	"charter/models"
)

// FieldError is a problem with one answer of a form: the id of its input (so the error summary
// can link to it) and the message shown beside it.
type FieldError struct {
	Field   string
	Message string
}

// FieldErrors are the problems of a whole form, in the order the fields appear.
type FieldErrors []FieldError

// Add records a problem with a field; only the first problem of a field is kept.
func (e *FieldErrors) Add(field, message string) {
	if e.For(field) == "" {
		*e = append(*e, FieldError{Field: field, Message: message})
	}
}

// Prepend puts a problem of the whole form, not of one field, first.
func (e *FieldErrors) Prepend(message string) {
	*e = append(FieldErrors{{Message: message}}, *e...)
}

// For returns the message for a field, or "".
func (e FieldErrors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// field describes one input of a form for the field components.
type field struct {
	ID, Label, Hint, Value, Error string
	Type                          string // text, email or url
	Autocomplete                  string
	MaxLength                     int
}

// describedBy lists the ids of a field's hint and error, for aria-describedby.
func (f field) describedBy() string {
	ids := ""
	if f.Hint != "" {
		ids = f.ID + "-hint"
	}
	if f.Error != "" {
		if ids != "" {
			ids += " "
		}
		ids += f.ID + "-error"
	}
	return ids
}

// Messages of the 403 page for a form the site refuses to act on.
const (
	// MsgCrossSite: the browser said the form was sent from another site (or another
	// subdomain), so it may be a forgery.
	MsgCrossSite = "This form was sent from another website, so nothing was changed. " +
		"If you meant to send it, open this site yourself, fill in the form again and send it."
	// MsgFormExpired: a console form without this session's token, typically a page from
	// before the latest sign-in.
	MsgFormExpired = "This form is from an earlier sign-in, so nothing was changed. Go back, reload the page and try again."
)

// option is one choice of a selectField.
type option struct {
	Value, Label string
}

// countryOptions are the countries for a selectField, by name in the language of ctx.
func countryOptions(ctx context.Context) []option {
	cs := CountryOptions(ctx)
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{Value: c.Code, Label: c.Name}
	}
	return out
}

// categoryOptions are the stakeholder categories for a selectField.
func categoryOptions() []option {
	out := make([]option, len(models.Categories))
	for i, c := range models.Categories {
		out[i] = option{Value: string(c), Label: CategoryLabel(c)}
	}
	return out
}
