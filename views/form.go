package views

import (
	"context"
	"strings"

	"charter/models"
)

// FormMessage is what a form tells a person about a problem: a message key and its arguments,
// put into words in the language of the page that shows it. Handlers choose the key; they never
// write the sentence.
type FormMessage struct {
	Key    string
	Args   []any
	Count  int64 // the count of a message with plural forms (Plural set)
	Plural bool
}

// Say is the message key with its arguments (name-value pairs, as T takes them).
func Say(key string, args ...any) FormMessage { return FormMessage{Key: key, Args: args} }

// SayN is the message key in the plural form count needs.
func SayN(key string, count int64, args ...any) FormMessage {
	return FormMessage{Key: key, Args: args, Count: count, Plural: true}
}

// In puts the message into words in the language of ctx. An argument that is itself a
// FormMessage (the name of a field) is put into words first.
func (m FormMessage) In(ctx context.Context) string {
	if m.Key == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		if inner, ok := a.(FormMessage); ok {
			a = inner.In(ctx)
		}
		args[i] = a
	}
	if m.Plural {
		return TN(ctx, m.Key, m.Count, args...)
	}
	return T(ctx, m.Key, args...)
}

// None reports whether there is no message.
func (m FormMessage) None() bool { return m.Key == "" }

// FieldError is a problem with one answer of a form: the id of its input (so the error summary
// can link to it) and the message shown beside it.
type FieldError struct {
	Field   string
	Message FormMessage
}

// FieldErrors are the problems of a whole form, in the order the fields appear.
type FieldErrors []FieldError

// Add records a problem with a field; only the first problem of a field is kept.
func (e *FieldErrors) Add(field string, message FormMessage) {
	if e.For(field).None() {
		*e = append(*e, FieldError{Field: field, Message: message})
	}
}

// Prepend puts a problem of the whole form, not of one field, first.
func (e *FieldErrors) Prepend(message FormMessage) {
	*e = append(FieldErrors{{Message: message}}, *e...)
}

// For returns the message for a field, or none.
func (e FieldErrors) For(field string) FormMessage {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return FormMessage{}
}

// field describes one input of a form for the field components.
type field struct {
	ID, Label, Hint, Value string
	Error                  FormMessage
	Type                   string // text, email or url
	Autocomplete           string
	MaxLength              int
}

// describedBy lists the ids of a field's hint and error, for aria-describedby.
func (f field) describedBy() string {
	ids := ""
	if f.Hint != "" {
		ids = f.ID + "-hint"
	}
	if !f.Error.None() {
		if ids != "" {
			ids += " "
		}
		ids += f.ID + "-error"
	}
	return ids
}

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

// categoryOptions are the stakeholder categories for a selectField, in the language of ctx.
func categoryOptions(ctx context.Context) []option {
	out := make([]option, len(models.Categories))
	for i, c := range models.Categories {
		out[i] = option{Value: string(c), Label: CategoryName(ctx, c)}
	}
	return out
}

// splitLink cuts a message with a link marked <a>…</a> into the words before, in and after it.
// A message without the marks is all before.
func splitLink(msg string) (before, inside, after string) {
	before, rest, ok := strings.Cut(msg, "<a>")
	if !ok {
		return msg, "", ""
	}
	inside, after, _ = strings.Cut(rest, "</a>")
	return before, inside, after
}

// nameMarker stands for a name in a message until the message is cut around it; names never
// hold it (control characters are refused).
const nameMarker = "\x00"

// splitMarker cuts a message at nameMarker.
func splitMarker(msg string) (before, after string) {
	before, after, _ = strings.Cut(msg, nameMarker)
	return before, after
}
