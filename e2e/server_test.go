package e2e

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
)

// server is the whole application, wired as main wires it, on a fresh database, listening on a
// loopback port.
type server struct {
	URL   string
	Store *models.Store
}

func startServer(t *testing.T) *server {
	t.Helper()
	source, err := os.ReadFile("../charter.md")
	if err != nil {
		t.Fatal(err)
	}
	charter, err := models.NewCharter(source)
	if err != nil {
		t.Fatal(err)
	}
	store := dbtest.New(t, nil)
	h := &handlers.Handler{
		Store:   store,
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Charter: charter,
	}
	ts := httptest.NewServer(h.Router())
	t.Cleanup(ts.Close)
	h.BaseURL = ts.URL
	return &server{URL: ts.URL, Store: store}
}
