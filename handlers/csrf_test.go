package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// otherSite are the ways a browser marks a request that a page of another site made it send.
var otherSite = map[string]http.Header{
	"Sec-Fetch-Site cross-site":                 {"Sec-Fetch-Site": {"cross-site"}},
	"Sec-Fetch-Site same-site (a subdomain)":    {"Sec-Fetch-Site": {"same-site"}},
	"Origin of another site, no Fetch Metadata": {"Origin": {"https://evil.example"}},
}

// refusedWith checks a response is the site's own 403 page with the given message, and not
// Echo's or Go's words.
func refusedWith(t *testing.T, rec *httptest.ResponseRecorder, msg string) {
	t.Helper()
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, `<h1>You cannot do that</h1>`) || !strings.Contains(body, msg) {
		t.Errorf("not the site's 403 page with %q:\n%s", msg, body)
	}
	if strings.Contains(strings.ToLower(body), "csrf") {
		t.Error("the page shows the framework's words")
	}
	if c := rec.Result().Header.Values("Set-Cookie"); len(c) != 0 {
		t.Errorf("a refused request set cookies %v", c)
	}
}

// Every state-changing route, public or not, refuses a request another site made a browser send,
// with the site's own 403 page — even with a signed-in administrator's cookie and token.
func TestEveryPostRouteRefusesOtherSites(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	token := a.csrf()
	before := len(a.outbox())
	checked := 0
	for _, r := range a.router.Routes() {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || !standardMethods[r.Method] {
			continue
		}
		checked++
		path := strings.ReplaceAll(dummyPath(r.Path), "/1", "/"+itoa(sig.ID))
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			for name, hdr := range otherSite {
				form := url.Values{"_csrf": {token}, "reason": {"x"}, "note": {"forged"}, "email": {"admin@charter.test"},
					"password": {adminPassword}, "ids": {itoa(sig.ID)}}
				req := httptestRequest(r.Method, path, form, a.cookies)
				for k, v := range hdr {
					req.Header[k] = v
				}
				rec := serve(a.router, req)
				t.Run(name, func(t *testing.T) { refusedWith(t, rec, views.Tr(views.English, "error.cross_site")) })
			}
		})
	}
	if checked < 12 {
		t.Fatalf("only %d state-changing routes found", checked)
	}
	if got := a.signatory(sig.ID).Status; got != models.StatusPending {
		t.Errorf("status %s after forged requests", got)
	}
	if n := len(a.auditOf(sig.ID)); n != 0 {
		t.Errorf("%d audit events after forged requests", n)
	}
	if n := len(a.outbox()); n != before {
		t.Errorf("%d emails queued by forged requests", n-before)
	}
}

// A form of this site is accepted however the browser says so, also when a proxy in front
// changed the Host header and only the Origin (the base URL's) tells.
func TestOwnSiteFormsPass(t *testing.T) {
	a := newApp(t)
	a.h.BaseURL = "http://charter.test/sub/path"
	a.router = a.h.Router()
	for name, hdr := range map[string]http.Header{
		"Sec-Fetch-Site same-origin":    {"Sec-Fetch-Site": {"same-origin"}},
		"Sec-Fetch-Site none (typed)":   {"Sec-Fetch-Site": {"none"}},
		"the base URL's Origin":         {"Origin": {"http://charter.test"}},
		"no browser headers (not CSRF)": {},
	} {
		req := httptestRequest(http.MethodPost, "/manage", url.Values{"email": {"someone@example.org"}}, nil)
		req.Host = "internal:8080"
		for k, v := range hdr {
			req.Header[k] = v
		}
		if rec := serve(a.router, req); rec.Code == http.StatusForbidden {
			t.Errorf("%s: 403", name)
		}
	}
}

// The attack of issue 10: from a sibling subdomain, an attacker-chosen _csrf cookie and the same
// value in the form added a note as the signed-in administrator.
func TestPlantedTokenAddsNoNote(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	for _, site := range []string{"same-site", "same-origin"} {
		cookies := map[string]*http.Cookie{"_csrf": {Name: "_csrf", Value: "planted"}}
		for k, v := range a.cookies {
			cookies[k] = v
		}
		req := httptestRequest(http.MethodPost, "/admin/signatories/"+itoa(sig.ID)+"/notes",
			url.Values{"_csrf": {"planted"}, "note": {"Planted note"}}, cookies)
		req.Header.Set("Sec-Fetch-Site", site)
		if rec := serve(a.router, req); rec.Code != http.StatusForbidden {
			t.Errorf("Sec-Fetch-Site %s: status %d, want 403", site, rec.Code)
		}
	}
	if n := len(a.auditOf(sig.ID)); n != 0 {
		t.Errorf("%d audit events (notes) after forged requests", n)
	}
}

// Every POST of the console needs this session's token: none, a made-up one and another
// session's are refused with the site's 403 page, from this very site.
func TestAdminPostsNeedTheSessionsToken(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	other := a.browser()
	other.signIn()
	for name, tok := range map[string]string{"no token": "", "a made-up token": "forged",
		"another session's token": other.csrf()} {
		checked := 0
		for _, r := range a.router.Routes() {
			if r.Method != http.MethodPost || !strings.HasPrefix(r.Path, "/admin/") || r.Path == "/admin/login" {
				continue
			}
			checked++
			path := strings.ReplaceAll(dummyPath(r.Path), "/1", "/"+itoa(sig.ID))
			rec := a.do(r.Method, path, url.Values{"_csrf": {tok}, "reason": {"x"}, "note": {"forged"}, "ids": {itoa(sig.ID)}})
			t.Run(name+" "+r.Path, func(t *testing.T) { refusedWith(t, rec, views.Tr(views.English, "error.form_expired")) })
		}
		if checked < 7 {
			t.Fatalf("only %d POST routes of the console found", checked)
		}
	}
	if got := a.signatory(sig.ID).Status; got != models.StatusPending {
		t.Errorf("status %s after forged requests", got)
	}
	if n := len(a.auditOf(sig.ID)); n != 0 {
		t.Errorf("%d audit events after forged requests", n)
	}
	// Still signed in: the refused sign-out did not sign out.
	if rec := a.get("/admin"); rec.Code != http.StatusOK {
		t.Errorf("GET /admin after the refused sign-out: %d", rec.Code)
	}
}

// The token belongs to the session: a new sign-in, in the same browser, makes the old one useless.
func TestCSRFTokenChangesAtSignIn(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	notes := "/admin/signatories/" + itoa(sig.ID) + "/notes"
	a.signIn()
	first := a.csrf()
	if again := a.csrf(); again != first {
		t.Fatal("the token changed within one session")
	}
	a.signIn()
	second := a.csrf()
	if second == first {
		t.Fatal("the token did not change at sign-in")
	}
	if rec := a.do(http.MethodPost, notes, url.Values{"_csrf": {first}, "note": {"old"}}); rec.Code != http.StatusForbidden {
		t.Errorf("the previous session's token: %d, want 403", rec.Code)
	}
	if rec := a.do(http.MethodPost, notes, url.Values{"_csrf": {second}, "note": {"new"}}); rec.Code != http.StatusSeeOther {
		t.Errorf("this session's token: %d, want 303", rec.Code)
	}
	if n := len(a.auditOf(sig.ID)); n != 1 {
		t.Errorf("%d notes, want 1", n)
	}
}

// Public read-only responses set no cookie and do not vary by cookie, so a CDN may cache them and
// a badge on another site does not track its readers. Forms included: none needs a cookie.
func TestPublicResponsesSetNoCookie(t *testing.T) {
	a := newApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	home := a.get("/")
	style, _ := doc(t, home).Find(`link[rel="stylesheet"]`).Attr("href")
	if !strings.HasPrefix(style, "/assets/") {
		t.Fatalf("no stylesheet on the home page: %q", style)
	}
	urls := []string{"/", "/signatories", "/signatories?q=org&page=2", "/signatories?category=civil_society&country=FR",
		"/signatories/" + sig.Slug, "/signatories/" + sig.Slug + "/badge.svg", "/signatories/" + sig.Slug + "/memorandum",
		"/signatories.csv", "/signatories.json", "/feed.atom", "/healthz", style, "/no-such-page", "/signatories/no-such-org",
		"/assets/no-such.css", "/sign", "/sign/sent", "/sign/resend", "/manage", "/manage/sent", "/confirmed",
		"/withdrawn", "/confirm/" + strings.Repeat("A", 43), "/manage/" + strings.Repeat("A", 43),
		"/admin/login", "/admin", "/admin/audit"}
	for _, u := range urls {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			rec := serve(a.router, httptestRequest(method, u, nil, nil))
			if c := rec.Result().Header.Values("Set-Cookie"); len(c) != 0 {
				t.Errorf("%s %s (%d) sets cookies %v", method, u, rec.Code, c)
			}
			for _, v := range rec.Result().Header.Values("Vary") {
				if strings.Contains(strings.ToLower(v), "cookie") {
					t.Errorf("%s %s: Vary: %s", method, u, v)
				}
			}
		}
	}
}

// One form served feeds one accepted post: the same stamp sent at once from several addresses
// is accepted once.
func TestFormStampIsAcceptedOnce(t *testing.T) {
	a := newApp(t)
	form := a.hiddenFields("/manage")
	form.Set("email", "someone@example.org")
	a.clock.Add(fillTime)
	remotes := []string{"192.0.2.1:1000", "198.51.100.2:1000", "203.0.113.3:1000", "192.0.2.4:1000",
		"198.51.100.5:1000", "203.0.113.6:1000", "192.0.2.7:1000"}
	codes := make([]int, len(remotes))
	var wg sync.WaitGroup
	for i, remote := range remotes {
		wg.Go(func() { codes[i] = a.postFrom(remote, "", "/manage", form) })
	}
	wg.Wait()
	accepted := 0
	for i, code := range codes {
		switch code {
		case http.StatusSeeOther:
			accepted++
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("from %s: %d", remotes[i], code)
		}
	}
	if accepted != 1 {
		t.Fatalf("the same stamp was accepted %d times from %d addresses, want once (%v)", accepted, len(remotes), codes)
	}
}

// A form shown again to correct a mistake gets a fresh stamp that keeps the time already spent:
// the corrected form is accepted at once. The first stamp stays spent.
func TestFormShownAgainKeepsTheTimeSpent(t *testing.T) {
	a := newApp(t)
	first := a.hiddenFields("/manage")
	a.clock.Add(fillTime)
	bad := url.Values{"email": {"not an address"}, "_stamp": first["_stamp"]}
	rec := a.do(http.MethodPost, "/manage", bad)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a mistaken address: %d, want 422", rec.Code)
	}
	d := doc(t, rec)
	if msg := text(d.Find(".error-summary")); strings.Contains(msg, "quicker") || strings.Contains(msg, "already") {
		t.Errorf("the guard complained on the first try: %q", msg)
	}
	again, _ := d.Find(`input[name="_stamp"]`).Attr("value")
	if again == "" || again == first.Get("_stamp") {
		t.Fatalf("the form shown again carries stamp %q, want a fresh one", again)
	}
	a.clock.Add(500e6) // corrected within a second
	rec = a.do(http.MethodPost, "/manage", url.Values{"email": {"someone@example.org"}, "_stamp": {again}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("the corrected form: %d, want 303\n%s", rec.Code, text(doc(t, rec).Find(".error-summary")))
	}
	rec = a.do(http.MethodPost, "/manage", url.Values{"email": {"someone@example.org"}, "_stamp": first["_stamp"]})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("the first stamp again: %d, want 422", rec.Code)
	}
	if msg := text(doc(t, rec).Find(".error-summary")); !strings.Contains(msg, views.FormGuardMessage("used").In(context.Background())) {
		t.Errorf("the first stamp again: %q", msg)
	}
}
