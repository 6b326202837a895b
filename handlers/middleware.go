package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// contentSecurityPolicy allows no inline script or style and no framing: everything the pages
// need comes from this origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// maxFormBody bounds every request body; a sign-up form is a few kilobytes.
const maxFormBody = "64K"

// requestLogger writes one line per request. It logs no client address and no query string, and
// for routes whose path carries a secret token it logs the route pattern instead of the path, so
// the log never holds a working confirmation link. The error handler runs first, so the status
// logged is the one sent. It sits on every request: it does no more than that line.
func (h *Handler) requestLogger(next echo.HandlerFunc) echo.HandlerFunc {
	handler := h.requestLogHandler()
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		p := c.Request().URL.Path
		if strings.Contains(c.Path(), ":token") {
			p = c.Path()
		}
		logRequest(handler, start, c.Request().Method, p, c.Response().Status)
		return nil
	}
}

// requestLogHandler is where the line of each request goes: RequestLog, else Log.
func (h *Handler) requestLogHandler() slog.Handler {
	if h.RequestLog != nil {
		return h.RequestLog.Handler()
	}
	return h.Log.Handler()
}

// logRequest writes the line of a request that started at start and was answered with status:
// the one format of the request log, for the router (requestLogger) and the public cache's fast
// path (fastpath.go) alike.
func logRequest(handler slog.Handler, start time.Time, method, path string, status int) {
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	ctx := context.Background()
	if !handler.Enabled(ctx, level) {
		return
	}
	// The record goes to the handler directly: Logger.LogAttrs would also look up the
	// caller's source position, which the log does not show.
	end := time.Now()
	r := slog.NewRecord(end, level, "request", 0)
	r.AddAttrs(
		slog.String("method", method),
		slog.String("path", path),
		slog.Int("status", status),
		slog.Duration("latency", end.Sub(start)),
	)
	_ = handler.Handle(ctx, r) // as Logger does: a log that cannot be written fails no request
}

// hstsMaxAge is two years, as the HSTS preload list asks.
const hstsMaxAge = "max-age=63072000"

// fixedHeader is a response header whose value is made once and shared by every response (a
// header's value is never changed in place, only replaced), so that setting it costs no allocation.
type fixedHeader struct {
	name  string // in canonical form
	value []string
}

// setHeaders sets each of headers on hdr.
func setHeaders(hdr http.Header, headers []fixedHeader) {
	for _, h := range headers {
		hdr[h.name] = h.value[:1:1] // capacity 1: an Add copies rather than writes into the shared array
	}
}

// securityHeaders are the security headers of every response, for secureHeaders and the fast
// path alike. HSTS is sent whenever the site's base URL is https, also over the plain-HTTP hop
// from a proxy that terminates TLS in front of it (browsers heed the header only over HTTPS
// anyway); includeSubDomains only when the operator says every subdomain is on HTTPS too.
func (h *Handler) securityHeaders() []fixedHeader {
	headers := []fixedHeader{
		{"X-Xss-Protection", []string{"0"}}, // the old browsers' XSS auditor did more harm than good
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Content-Security-Policy", []string{contentSecurityPolicy}},
		{"Referrer-Policy", []string{"same-origin"}},
	}
	if h.Secure {
		hsts := hstsMaxAge
		if h.HSTSIncludeSubdomains {
			hsts += "; includeSubDomains"
		}
		headers = append(headers, fixedHeader{echo.HeaderStrictTransportSecurity, []string{hsts}})
	}
	return headers
}

// secureHeaders sets the security headers (h.security, made by Router) on every response.
func (h *Handler) secureHeaders() echo.MiddlewareFunc {
	headers := h.security
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			setHeaders(c.Response().Header(), headers)
			return next(c)
		}
	}
}

// headWriter sends the status and headers of a response and drops its body.
type headWriter struct {
	http.ResponseWriter
}

func (w headWriter) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap lets http.ResponseController reach the connection's writer (to flush the headers).
func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// headAsGet answers HEAD as the GET of the same URL would be answered (RFC 9110): the router
// finds the GET route, and net/http sends the headers without the body.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodHead {
			c.Request().Method = http.MethodGet
			// net/http now takes it for a GET, so the body written must be dropped here.
			c.Response().Writer = headWriter{c.Response().Writer}
		}
		return next(c)
	}
}
