package views

import (
	"testing"

	"charter/models"
)

// TestEveryFieldProblemHasWords enumerates the models' fields and problems: each pair a form can
// meet has a message, so no problem reaches a person as a bare key.
func TestEveryFieldProblemHasWords(t *testing.T) {
	for _, f := range models.Fields {
		if fieldWhat[f] == "" {
			t.Errorf("field %s has no name for the messages", f)
		}
		for _, p := range models.Problems {
			if FieldMessage(models.FieldError{Field: f, Problem: p, Limit: 10}) == "" {
				t.Errorf("%s: %s has no words", f, p)
			}
		}
	}
}
