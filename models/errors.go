package models

import (
	"errors"
	"fmt"
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

// Error is an error with a kind and a message that may be shown to the person who caused it.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error of the given kind.
func Errorf(kind Kind, format string, args ...any) error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = &Error{Kind: KindNotFound, Message: "not found"}

// KindOf returns the kind of err: the kind of the first *Error in its chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
