// Package handlers is the HTTP side of the charter: it parses requests, calls models and renders
// views. Every route is registered in routes.go.
package handlers

import (
	"log/slog"
	"net"
	"time"

	"charter/models"
	"charter/publiclog"
)

// Handler holds what the HTTP handlers depend on. main builds one; tests build their own.
type Handler struct {
	Store *models.Store
	Log   *slog.Logger
	// RequestLog takes the one line of each request (a buffered log, in main); nil means Log.
	RequestLog *slog.Logger
	Charter    *models.Charter
	// BaseURL is the public address of the site, without a trailing slash, for links in emails
	// and feeds.
	BaseURL string
	// Secure is true when the site is served over HTTPS (its base URL is https://, whether or not a
	// proxy in front terminates TLS): cookies are Secure with the __Host- prefix and HSTS is sent.
	Secure bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For header names the client.
	// Empty: the client is the peer of the connection, and forwarding headers are ignored.
	TrustedProxies []*net.IPNet
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Mailer is woken when a request has queued mail, so it goes out at once rather than at the
	// next poll of the outbox; nil is fine (the worker polls anyway).
	Mailer Waker
	// NotifyAdmins: email every administrator who is not disabled when an application is
	// confirmed and waits for review.
	NotifyAdmins bool
	// PublicStateMaxAge is how long the public pages' cache trusts its last read of the public
	// state before asking the database again; 0 asks on every request. A change shows on the
	// public pages at most this long after it is committed.
	PublicStateMaxAge time.Duration
	// PublicMaxAge is how long browsers and shared caches (a CDN, nginx) may reuse a public page
	// (Cache-Control max-age and s-maxage); 0 makes them ask every time. A change shows on the
	// public pages at most about this long plus PublicStateMaxAge after it is committed.
	PublicMaxAge time.Duration
	// SnapshotDir is the folder of the open data snapshot files (snapshot.go), written by
	// RunSnapshots. Empty, or while RunSnapshots is not running: the exports stream from the
	// database.
	SnapshotDir string
	// BenchStatic adds GET /bench/static, which serves the bytes of /signatories from memory, to
	// compare the list's throughput with (the benchmark script sets CHARTER_BENCH=1).
	BenchStatic bool
	// HSTSIncludeSubdomains adds includeSubDomains to the HSTS header (sent when Secure).
	HSTSIncludeSubdomains bool
	// Web fetches the files that verify a signatory's domain (verify.go); nil means the site's
	// own *webcheck.Fetcher.
	Web WebFetcher
	// LogKey signs the public log's checkpoints; its verifier key is published at /log/key.
	// nil: /log/checkpoint and /log/key answer 500, the rest of the log works.
	LogKey *publiclog.Key

	logOrigin string // the origin line of the log's checkpoints, from BaseURL

	guard    siteKey       // the key of public forms' time stamps
	csrf     siteKey       // the key of administrators' CSRF tokens
	public   publicCache   // rendered public pages, for the current public state
	pictures pictures      // the growth chart's figures and the share cards, for the current state
	publicCC string        // the Cache-Control of public pages, from PublicMaxAge
	security []fixedHeader // the security headers of every response, from Secure
	assets   assetCache    // the assets and their compressed forms
	snaps    snapshots     // the open data snapshot files
}

// Waker is something to poke when there is new work, such as the outbox worker (mail.Worker).
type Waker interface {
	Wake()
}

// wakeMailer tells the mail worker that a message was queued.
func (h *Handler) wakeMailer() {
	if h.Mailer != nil {
		h.Mailer.Wake()
	}
}

func (h *Handler) now() time.Time {
	if h.Now == nil {
		return time.Now().UTC()
	}
	return h.Now().UTC()
}
