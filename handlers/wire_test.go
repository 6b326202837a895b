package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
)

// The exact headers of a cached public page, in each language, encoding and method, and of its
// 304: the serving path is tuned for speed, and these must not change on the wire. So must the
// request's log line.
func TestCachedPageHeadersOnTheWire(t *testing.T) {
	a := newApp(t, func(h *handlers.Handler) { h.Secure = true; h.PublicStateMaxAge = time.Minute })
	for range 5 {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	}
	security := map[string]string{
		"X-Xss-Protection":          "0",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "DENY",
		"Content-Security-Policy":   "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
		"Referrer-Policy":           "same-origin",
		"Strict-Transport-Security": "max-age=63072000",
		"Vary":                      "Accept-Encoding",
		"Cache-Control":             "public, no-cache",
	}
	tagRE := regexp.MustCompile(`^W/"[0-9a-f]+-[0-9]+(-gzip|-br)?"$`)
	for _, path := range []string{"/signatories", "/ru/signatories"} {
		for _, tc := range []struct {
			method, accept, encoding string
		}{
			{http.MethodGet, "", ""},
			{http.MethodGet, "gzip", "gzip"},
			{http.MethodGet, "gzip, deflate, br", "br"},
			{http.MethodHead, "", ""},
		} {
			for range 2 { // the first renders the page, the second is served from the cache
				rec := send(a, tc.method, path, "Accept-Encoding", tc.accept)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s %s: %d", tc.method, path, rec.Code)
				}
				h := rec.Header()
				want := map[string]string{"Content-Type": "text/html; charset=UTF-8", "Content-Length": h.Get("Content-Length")}
				for k, v := range security {
					want[k] = v
				}
				if tc.encoding != "" {
					want["Content-Encoding"] = tc.encoding
				}
				tag := h.Get("ETag")
				want["Etag"] = tag
				if !tagRE.MatchString(tag) || !strings.HasSuffix(tag, tc.encoding+`"`) {
					t.Errorf("%s %s (%s): ETag %q", tc.method, path, tc.accept, tag)
				}
				if tc.method == http.MethodGet && h.Get("Content-Length") != itoa(int64(rec.Body.Len())) {
					t.Errorf("%s %s (%s): Content-Length %s for %d bytes", tc.method, path, tc.accept, h.Get("Content-Length"), rec.Body.Len())
				}
				if tc.method == http.MethodHead && rec.Body.Len() != 0 {
					t.Errorf("HEAD %s: a body of %d bytes", path, rec.Body.Len())
				}
				checkHeaders(t, tc.method+" "+path+" ("+tc.accept+")", h, want)

				notMod := send(a, tc.method, path, "Accept-Encoding", tc.accept, "If-None-Match", tag)
				if notMod.Code != http.StatusNotModified || notMod.Body.Len() != 0 {
					t.Fatalf("%s %s If-None-Match: %d, %d bytes", tc.method, path, notMod.Code, notMod.Body.Len())
				}
				delete(want, "Content-Type")
				delete(want, "Content-Length")
				checkHeaders(t, tc.method+" "+path+" ("+tc.accept+") 304", notMod.Header(), want)
			}
		}
	}
	lines := regexp.MustCompile(`(?m)^time=\S+ level=INFO msg=request method=(GET|HEAD) path=/signatories status=(200|304) latency=[0-9.]+(ns|µs|ms|s)$`).FindAllString(a.logs.String(), -1)
	if len(lines) != 2*4*2*2 {
		t.Errorf("%d request lines of the expected form, want %d; log:\n%s", len(lines), 2*4*2*2, a.logs.String())
	}
}

// send sends a request with the given headers (name, value, …); an empty value sends none.
func send(a *app, method, target string, headers ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] != "" {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

func checkHeaders(t *testing.T, what string, got http.Header, want map[string]string) {
	t.Helper()
	for k, vs := range got {
		if len(vs) != 1 || want[k] != vs[0] {
			t.Errorf("%s: %s: %q, want %q", what, k, vs, want[k])
		}
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("%s: no %s header", what, k)
		}
	}
}
