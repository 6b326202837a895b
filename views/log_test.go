package views

import (
	"context"
	"testing"

	"charter/publiclog"
)

// Every event of the public log has a label of its own in every language.
func TestEveryLogEventHasALabel(t *testing.T) {
	for _, l := range Languages {
		ctx := WithLang(context.Background(), l)
		for _, e := range publiclog.AllEvents {
			if got := LogEventLabel(ctx, e); got == "" || got == string(e) {
				t.Errorf("%s: event %q has no label", l, e)
			}
		}
	}
}
