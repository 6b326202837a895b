package models

import (
	"errors"
	"fmt"
	"strings"
)

// Kind says what sort of failure an Error is, so that the HTTP layer can choose a status without
// this package knowing about HTTP.
type Kind int

// The kinds of Error.
const (
	KindInternal  Kind = iota
	KindNotFound       // the thing asked for does not exist (or is not visible)
	KindInvalid        // the input breaks a rule
	KindConflict       // the thing changed under us, or already exists
	KindForbidden      // the actor may not do this
	KindGone           // it existed, but has expired or been used up
)

// Error is an error with a kind and a message for the person who caused it. The message is a key
// of the views' messages with its arguments (name-value pairs, as views.T takes them): this
// package says what went wrong, the views say it in the reader's language.
type Error struct {
	Kind Kind
	Key  string
	Args []any
}

// Error names the key and its arguments, for logs and tests; people read the message of the key.
func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return e.Key
	}
	var b strings.Builder
	b.WriteString(e.Key)
	for i := 0; i+1 < len(e.Args); i += 2 {
		fmt.Fprintf(&b, " %v=%q", e.Args[i], fmt.Sprint(e.Args[i+1]))
	}
	return b.String()
}

// Errorf builds an *Error of the given kind with the message key and its arguments, name-value
// pairs: Errorf(KindInvalid, "error.password_short", "Min", 12).
func Errorf(kind Kind, key string, args ...any) error {
	return &Error{Kind: kind, Key: key, Args: args}
}

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = &Error{Kind: KindNotFound, Key: "error.not_found"}

// KindOf returns the kind of err: the kind of the first *Error in its chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
