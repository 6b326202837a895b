// Package handlers is the HTTP side of the charter: it parses requests, calls models and renders
// views. Every route is registered in routes.go.
package handlers

import (
	"log/slog"
	"time"

	"charter/models"
)

// Handler holds what the HTTP handlers depend on. main builds one; tests build their own.
type Handler struct {
	Store   *models.Store
	Log     *slog.Logger
	Charter *models.Charter
	// BaseURL is the public address of the site, without a trailing slash, for links in emails
	// and feeds.
	BaseURL string
	// Secure is true when the site is served over HTTPS: cookies get the Secure flag and HSTS is sent.
	Secure bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PublicStateMaxAge is how long the public pages' cache trusts its last read of the public
	// state before asking the database again; 0 asks on every request. A change shows on the
	// public pages at most this long after it is committed.
	PublicStateMaxAge time.Duration
	// BenchStatic adds GET /bench/static, which serves the bytes of /signatories from memory, to
	// compare the list's throughput with (the benchmark script sets CHARTER_BENCH=1).
	BenchStatic bool

	public publicCache // rendered public pages, for the current public state
}

func (h *Handler) now() time.Time {
	if h.Now == nil {
		return time.Now().UTC()
	}
	return h.Now().UTC()
}
