package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// HSTS follows the site's base URL, not the hop the request came over: behind a proxy that
// terminates TLS, the request reaching the app is plain HTTP.
func TestHSTSFollowsTheBaseURL(t *testing.T) {
	for _, tc := range []struct {
		secure, subdomains bool
		want               string
	}{
		{false, false, ""},
		{true, false, "max-age=63072000"},
		{true, true, "max-age=63072000; includeSubDomains"},
	} {
		a := newApp(t)
		a.h.Secure, a.h.HSTSIncludeSubdomains = tc.secure, tc.subdomains
		a.router = a.h.Router()
		for _, u := range []string{"/", "/no-such-page"} {
			if got := a.get(u).Header().Get("Strict-Transport-Security"); got != tc.want {
				t.Errorf("secure=%v subdomains=%v %s: HSTS %q, want %q", tc.secure, tc.subdomains, u, got, tc.want)
			}
		}
	}
}

// Every request body is bounded, whatever the method: requests without one skip the check, a GET
// with one does not.
func TestBodyLimitOnEveryMethod(t *testing.T) {
	a := newApp(t)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req := httptest.NewRequest(method, "/signatories", strings.NewReader(strings.Repeat("x", 100<<10)))
		rec := httptest.NewRecorder()
		a.router.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s with a 100 KiB body: %d", method, rec.Code)
		}
	}
}
