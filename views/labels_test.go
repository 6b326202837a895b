package views

import (
	"context"
	"testing"

	"charter/models"
)

// Every value the models define has words of its own here: a label that is empty, or is just
// the stored value, means one was added without them.
func TestEveryValueHasALabel(t *testing.T) {
	check := func(kind, value, label string) {
		t.Helper()
		if label == "" || label == value {
			t.Errorf("%s %q has no label", kind, value)
		}
	}
	for _, st := range models.AllStatuses {
		check("status", string(st), StatusLabel(st))
	}
	for _, a := range models.AllActions {
		check("action", string(a), ActionLabel(a))
	}
	for _, k := range models.AllFlagKinds {
		check("flag kind", string(k), FlagLabel(k))
	}
	for _, f := range models.AllEditedFields {
		check("edited field", string(f), EditedFieldLabel(f))
	}
	for _, c := range models.Categories {
		check("category", string(c), CategoryLabel(c))
	}
	for _, r := range []string{GuardTooFast, GuardExpired, GuardHoneypot} {
		check("form guard reason", r, FormGuardMessage(r).In(context.Background()))
	}
}
