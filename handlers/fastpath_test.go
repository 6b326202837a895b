package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// requestLine is the request log's last line, without its time and latency.
var timeAndLatency = regexp.MustCompile(`time=\S+ |latency=\S+`)

func lastLine(log string) string {
	lines := strings.Split(strings.TrimSuffix(log, "\n"), "\n")
	return timeAndLatency.ReplaceAllString(lines[len(lines)-1], "")
}

// toRouter is the fast path in front of a router that fails the test: every request it is given
// must be answered from the cache.
func toRouter(t *testing.T, a *app) http.Handler {
	return a.h.FastPath(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("%s %s %v went to the router", r.Method, r.URL, r.Header)
		w.WriteHeader(http.StatusTeapot)
	}))
}

// The fast path answers every cached public page exactly as the router does: the same status,
// headers (security headers, Vary, ETag, Cache-Control, Content-Length, Content-Encoding) and
// body, in both languages, in every encoding, for GET and HEAD, 200 and 304; and it logs the same
// line.
func TestFastPathAnswersAsTheRouter(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("secure=%v", secure), func(t *testing.T) {
			a := newApp(t, func(h *handlers.Handler) {
				if secure {
					h.BaseURL, h.Secure, h.HSTSIncludeSubdomains = "https://charter.test", true, true
				}
			})
			s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Country = "DE" })
			dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
			css, ok := doc(t, a.get("/")).Find(`link[rel="stylesheet"]`).Attr("href")
			if !ok {
				t.Fatal("no stylesheet on the home page")
			}
			var urls []string
			for _, prefix := range []string{"", "/ru"} {
				urls = append(urls, prefix+"/", prefix+"/signatories", prefix+"/signatories?country=de&category=civil_society",
					prefix+"/signatories?q=Test&sort=name", prefix+"/signatories/"+s.Slug, prefix+"/signatories/"+s.Slug+"/badge.svg",
					prefix+"/signatories/"+s.Slug+"/badge.svg?lang=en", prefix+"/feed.atom")
			}
			urls = append(urls, css)
			fast := toRouter(t, a)
			type variant struct{ encoding, language string }
			var variants []variant
			for _, enc := range []string{"", "gzip", "br", "gzip;q=1, br;q=0.5"} {
				for _, lang := range []string{"", "ru", "en-GB,en;q=0.9"} {
					variants = append(variants, variant{enc, lang})
				}
			}
			request := func(method, u string, v variant, inm string) *http.Request {
				r := httptest.NewRequest(method, u, nil)
				for name, value := range map[string]string{"Accept-Encoding": v.encoding, "Accept-Language": v.language, "If-None-Match": inm} {
					if value != "" {
						r.Header.Set(name, value)
					}
				}
				return r
			}
			checked := 0
			for _, u := range urls {
				for _, v := range variants {
					if rec := serve(a.router, request(http.MethodGet, u, v, "")); rec.Code != http.StatusOK { // puts the page in the cache
						t.Fatalf("GET %s: %d", u, rec.Code)
					}
					for _, method := range []string{http.MethodGet, http.MethodHead} {
						for _, conditional := range []bool{false, true} {
							inm := ""
							if conditional {
								inm = serve(a.router, request(http.MethodGet, u, v, "")).Header().Get("Etag")
							}
							want := serve(a.router, request(method, u, v, inm))
							wantLog := lastLine(a.logs.String())
							got := serve(fast, request(method, u, v, inm))
							gotLog := lastLine(a.logs.String())
							what := fmt.Sprintf("%s %s %+v If-None-Match %q", method, u, v, inm)
							if wantStatus := map[bool]int{false: 200, true: 304}[conditional]; want.Code != wantStatus {
								t.Fatalf("%s: the router answers %d", what, want.Code)
							}
							sameResponse(t, what, want, got)
							if gotLog != wantLog {
								t.Errorf("%s: logged\n%s\nthe router logs\n%s", what, gotLog, wantLog)
							}
							checked++
						}
					}
				}
			}
			t.Logf("%d requests answered alike", checked)
		})
	}
}

// sameResponse fails the test unless got has want's status, headers (but Date) and body.
func sameResponse(t *testing.T, what string, want, got *httptest.ResponseRecorder) {
	t.Helper()
	if got.Code != want.Code {
		t.Errorf("%s: status %d, the router's %d", what, got.Code, want.Code)
	}
	names := map[string]bool{}
	for name := range want.Header() {
		names[name] = true
	}
	for name := range got.Header() {
		names[name] = true
	}
	delete(names, "Date")
	for name := range names {
		if w, g := want.Header()[name], got.Header()[name]; !slices.Equal(w, g) {
			t.Errorf("%s: %s: %q, the router's %q", what, name, g, w)
		}
	}
	if got.Body.String() != want.Body.String() {
		t.Errorf("%s: a body of %d bytes, the router's %d", what, got.Body.Len(), want.Body.Len())
	}
}

// What is not a plain GET or HEAD of a cached public page goes to the router: another method, a
// body, an escaped path, a query the page refuses, an address the router redirects or refuses, a
// page not cached yet or cached for an older public state.
func TestFastPathLeavesTheRestToTheRouter(t *testing.T) {
	a := newApp(t)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	for _, u := range []string{"/", "/signatories", "/signatories/" + s.Slug, "/ru/signatories"} {
		a.get(u)
	}
	var routed []string
	fast := a.h.FastPath(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		routed = append(routed, r.Method+" "+r.URL.String())
		a.router.ServeHTTP(w, r)
	}))
	cases := []struct {
		method, target, body string
	}{
		{http.MethodPost, "/signatories", ""},
		{http.MethodOptions, "/signatories", ""},
		{http.MethodGet, "/signatories", "x=1"},
		{http.MethodGet, "/ru", ""},
		{http.MethodGet, "/ru/admin", ""},
		{http.MethodGet, "/ru/assets/style.css", ""},
		{http.MethodGet, "/signatories?category=nope", ""},
		{http.MethodGet, "/signatories?page=2", ""}, // not cached
		{http.MethodGet, "/signatories/" + s.Slug + "/badge.svg?lang=xx", ""},
		{http.MethodGet, "/signatories/" + strings.Replace(s.Slug, "-", "%2D", 1) + "%2F", ""},
		{http.MethodGet, "/signatories/", ""},
		{http.MethodGet, "/signatories.csv", ""},
		{http.MethodGet, "/healthz", ""},
		{http.MethodGet, "/no-such-page", ""},
	}
	for _, tc := range cases {
		routed = nil
		var r *http.Request
		if tc.body != "" {
			r = httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		} else {
			r = httptest.NewRequest(tc.method, tc.target, nil)
		}
		serve(fast, r)
		if len(routed) != 1 {
			t.Errorf("%s %s %q: not given to the router", tc.method, tc.target, tc.body)
		}
	}
	// A new public state: the cached pages are out of date.
	dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	routed = nil
	if rec := serve(fast, httptest.NewRequest(http.MethodGet, "/signatories", nil)); rec.Code != http.StatusOK || len(routed) != 1 {
		t.Errorf("after an approval: %d, routed %q", rec.Code, routed)
	}
}

// A panic in the fast path leaves the request to the router; when answering it panics again
// there, the visitor gets the site's 500 page with its security headers.
func TestFastPathPanicRecovers(t *testing.T) {
	a := newApp(t)
	for _, u := range []string{"/signatories", "/ru/signatories"} {
		a.get(u)
	}
	handlers.BreakCachedPage(a.h, views.Russian, "/signatories")
	rec := a.get("/ru/signatories")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("%d, want 500", rec.Code)
	}
	if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Frame-Options") != "DENY" {
		t.Errorf("500 page without the security headers: %v", rec.Header())
	}
	if d := doc(t, rec); d.Find("main").Length() == 0 {
		t.Errorf("not the site's error page: %s", rec.Body)
	}
	if !strings.Contains(a.logs.String(), "fast path panicked") {
		t.Errorf("the panic is not logged:\n%s", a.logs)
	}
	if rec := a.get("/signatories"); rec.Code != http.StatusOK {
		t.Errorf("the English page: %d", rec.Code)
	}
}
