package views

import (
	"context"
	"testing"

	"charter/models"
)

// Every value the models define has words of its own here, in every language: a label that is
// empty, or is just the stored value, means one was added without them. (A missing message
// panics in this package's tests, see TestMain.)
func TestEveryValueHasALabel(t *testing.T) {
	check := func(kind, value, label string) {
		t.Helper()
		if label == "" || label == value {
			t.Errorf("%s %q has no label", kind, value)
		}
	}
	for _, l := range Languages {
		ctx := WithLang(context.Background(), l)
		for _, st := range models.AllStatuses {
			check(string(l)+" status", string(st), StatusLabel(ctx, st))
		}
		for _, a := range models.AllActions {
			check(string(l)+" action", string(a), ActionLabel(ctx, a))
		}
		for _, k := range models.AllFlagKinds {
			check(string(l)+" flag kind", string(k), FlagLabel(ctx, k))
		}
		for _, f := range models.AllEditedFields {
			check(string(l)+" edited field", string(f), EditedFieldLabel(ctx, f))
		}
		for _, r := range RejectReasons {
			check(string(l)+" reject reason", r, T(ctx, r))
		}
		for _, c := range models.Categories {
			check(string(l)+" category", string(c), CategoryName(ctx, c))
		}
		for _, r := range []string{GuardTooFast, GuardExpired, GuardUsed, GuardHoneypot} {
			check(string(l)+" form guard reason", r, FormGuardMessage(r).In(ctx))
		}
	}
}

// The labels differ between the languages: a Russian label equal to the English one is an
// untranslated one.
func TestLabelsAreTranslated(t *testing.T) {
	en, ru := WithLang(context.Background(), English), WithLang(context.Background(), Russian)
	same := func(kind, value, e, r string) {
		t.Helper()
		if e == r {
			t.Errorf("%s %q reads %q in English and in Russian", kind, value, e)
		}
	}
	for _, st := range models.AllStatuses {
		same("status", string(st), StatusLabel(en, st), StatusLabel(ru, st))
	}
	for _, a := range models.AllActions {
		same("action", string(a), ActionLabel(en, a), ActionLabel(ru, a))
	}
	for _, k := range models.AllFlagKinds {
		same("flag kind", string(k), FlagLabel(en, k), FlagLabel(ru, k))
	}
	for _, f := range models.AllEditedFields {
		same("edited field", string(f), EditedFieldLabel(en, f), EditedFieldLabel(ru, f))
	}
}
