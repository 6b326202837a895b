package views

import (
	"context"
	"strconv"

	"charter/models"
	"charter/publiclog"
)

// LogProps is the page that explains the public log.
type LogProps struct {
	Size        int64  // entries in the log now
	VerifierKey string // the key that checks its checkpoints; empty when the site has none
	BaseURL     string // the site's address, for the command that checks it
}

// LogEventLabel names an event of the public log.
func LogEventLabel(ctx context.Context, e publiclog.Event) string {
	return T(ctx, "log.event."+string(e))
}

// logEntryURL is the address of one entry of the log, as plain text.
func logEntryURL(e models.LogEntry) string {
	return "/log/entries?start=" + strconv.FormatInt(e.Idx, 10) + "&end=" + strconv.FormatInt(e.Idx+1, 10)
}
