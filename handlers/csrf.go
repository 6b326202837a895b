package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"
)

// Cross-site request forgery is refused in two layers:
//   - every state-changing request must come from this site: the browser's Fetch Metadata
//     (Sec-Fetch-Site) or, from older browsers, its Origin header must say so. This is all the
//     public forms and the sign-in form need, and it sets no cookie, so public pages stay
//     cacheable;
//   - every POST of a signed-in administrator must also carry a token derived from their
//     session, so it changes with every sign-in and is worth nothing in another browser.

// csrfField is the form field that carries an administrator's CSRF token.
const csrfField = "_csrf"

// crossOrigin refuses unsafe requests (not GET, HEAD or OPTIONS) that a browser marks as coming
// from another origin, including a sibling subdomain (Sec-Fetch-Site: same-site). Requests
// without Sec-Fetch-Site or Origin are not from a browser, which is what CSRF abuses, and pass.
// The site's own origin, from its base URL, is trusted even when a proxy rewrites Host.
func (h *Handler) crossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(h.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			panic("the base URL has no origin: " + err.Error()) // config has checked it
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "error.cross_site")
			}
			return next(c)
		}
	}
}

// csrfTokenKey is the request-context key of the signed-in administrator's CSRF token.
type csrfTokenKey struct{}

// adminCSRF sits behind requireAdmin: it refuses a POST whose token is not the one of this
// session, and keeps the token for the pages' forms (csrfToken).
func (h *Handler) adminCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		key, err := h.csrf.get(ctx, h.Store, "admin-csrf")
		if err != nil {
			return err
		}
		want := sessionCSRFToken(key, signedIn(c).Session.IDHash)
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if subtle.ConstantTimeCompare([]byte(c.FormValue(csrfField)), []byte(want)) != 1 {
				return echo.NewHTTPError(http.StatusForbidden, "error.form_expired")
			}
		}
		c.SetRequest(c.Request().WithContext(context.WithValue(ctx, csrfTokenKey{}, want)))
		return next(c)
	}
}

// sessionCSRFToken is the CSRF token of the session whose id hash is given: a MAC of it, so it
// tells nothing of the session cookie and cannot be made without the site's key.
func sessionCSRFToken(key []byte, sessionIDHash string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("admin-csrf\x00"))
	m.Write([]byte(sessionIDHash))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfToken is the signed-in administrator's CSRF token, to put in each form of the console.
func csrfToken(c echo.Context) string {
	t, _ := c.Request().Context().Value(csrfTokenKey{}).(string)
	return t
}
