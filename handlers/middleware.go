package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// contentSecurityPolicy allows no inline script or style and no framing: everything the pages
// need comes from this origin.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// maxFormBody bounds every request body; a sign-up form is a few kilobytes.
const maxFormBody = "64K"

// requestLogger writes one line per request. It logs no client address and no query string, and
// for routes whose path carries a secret token it logs the route pattern instead of the path, so
// the log never holds a working confirmation link.
func (h *Handler) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:    true,
		LogURIPath:   true,
		LogRoutePath: true,
		LogStatus:    true,
		LogLatency:   true,
		LogError:     true,
		HandleError:  true, // the error handler runs first, so the status logged is the one sent
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			p := v.URIPath
			if strings.Contains(v.RoutePath, ":token") {
				p = v.RoutePath
			}
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			h.Log.LogAttrs(context.Background(), level, "request",
				slog.String("method", v.Method),
				slog.String("path", p),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
			)
			return nil
		},
	})
}

// hstsMaxAge is two years, as the HSTS preload list asks.
const hstsMaxAge = "max-age=63072000"

// secureHeaders sets the security headers of every response. HSTS is sent whenever the site's
// base URL is https, also over the plain-HTTP hop from a proxy that terminates TLS in front of it
// (browsers heed the header only over HTTPS anyway); includeSubDomains only when the operator
// says every subdomain is on HTTPS too.
func (h *Handler) secureHeaders() echo.MiddlewareFunc {
	secure := middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "same-origin",
	})
	hsts := hstsMaxAge
	if h.HSTSIncludeSubdomains {
		hsts += "; includeSubDomains"
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		next = secure(next)
		return func(c echo.Context) error {
			if h.Secure {
				c.Response().Header().Set(echo.HeaderStrictTransportSecurity, hsts)
			}
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
