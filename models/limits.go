package models

// Limits of the texts reviewers write. The console's forms take them as maxlength, and the
// handlers refuse longer ones, so both read them from here.
const (
	// MaxReasonLength is the most characters of a rejection or revocation reason, which is emailed.
	MaxReasonLength = 2000
	// MaxNoteLength is the most characters of an internal note.
	MaxNoteLength = 4000
)
