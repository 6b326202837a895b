package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// dummyPath fills a route's parameters with dummy values.
func dummyPath(p string) string {
	p = regexp.MustCompile(`:[^/]+`).ReplaceAllString(p, "1")
	return strings.ReplaceAll(p, "*", "x")
}

var standardMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true,
}

// Every /admin route but sign-in refuses a browser without a session, and shows it no data —
// including routes added after this test was written.
func TestEveryAdminRouteNeedsASession(t *testing.T) {
	a := newAdminApp(t)
	dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) {
		s.Name, s.ContactEmail = "Secret Foundation", "secret-contact@example.org"
	})
	checked := 0
	for _, r := range a.router.Routes() {
		if !strings.HasPrefix(r.Path, "/admin") || strings.HasPrefix(r.Path, "/admin/login") || !standardMethods[r.Method] {
			continue
		}
		checked++
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			b := a.browser()
			var form url.Values
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				form = url.Values{"_csrf": {"x"}, "reason": {"x"}, "id": {"1"}, "name": {"x"}}
			}
			rec := b.do(r.Method, dummyPath(r.Path), form)
			switch {
			case rec.Code == http.StatusSeeOther && strings.HasPrefix(location(rec), "/admin/login"):
			case rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden:
			default:
				t.Fatalf("status %d, location %q: want a redirect to sign-in or 401/403", rec.Code, location(rec))
			}
			if body := rec.Body.String(); contains(body, "Secret Foundation") || contains(body, "secret-contact") {
				t.Error("the answer shows a signatory's data")
			}
		})
	}
	if checked < 10 {
		t.Fatalf("only %d admin routes found; is the router wired?", checked)
	}
	// Nothing was decided by all those requests.
	if n := len(a.outbox()); n != 0 {
		t.Errorf("%d emails queued by requests without a session", n)
	}
}

func TestLoginSetsAStrictSessionCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		a := newAdminApp(t)
		a.h.Secure = secure
		a.router = a.h.Router()
		rec := a.login("Admin@Charter.test", adminPassword)
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("login: %d", rec.Code)
		}
		var ck *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if strings.HasSuffix(c.Name, "charter_admin") {
				ck = c
			}
		}
		if ck == nil {
			t.Fatal("no session cookie")
		}
		// On https the __Host- prefix, which browsers accept only with Secure and Path=/ and
		// without Domain, so no subdomain can plant one.
		wantName, wantPath := "charter_admin", "/admin"
		if secure {
			wantName, wantPath = "__Host-charter_admin", "/"
		}
		if ck.Name != wantName || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != wantPath ||
			ck.Secure != secure || ck.Domain != "" {
			t.Errorf("cookie %+v: want %s, HttpOnly, SameSite=Lax, Path=%s, no Domain, Secure=%v", ck, wantName, wantPath, secure)
		}
		if len(ck.Value) < 43 {
			t.Errorf("session id %q is too short to be 32 random bytes", ck.Value)
		}
		var stored int64
		a.store.DB.Model(&models.Session{}).Where("id_hash = ?", ck.Value).Count(&stored)
		if stored != 0 {
			t.Error("the session id is stored in clear")
		}
	}
}

func TestLoginFailuresLookAlikeAndLockTheAccount(t *testing.T) {
	a := newAdminApp(t)
	unknown := a.login("nobody@charter.test", "whatever whatever")
	if unknown.Code != http.StatusUnprocessableEntity {
		t.Fatalf("unknown email: %d", unknown.Code)
	}
	wantMsg := text(doc(t, unknown).Find(".error-summary p"))
	if wantMsg == "" {
		t.Fatal("no error message")
	}
	for i := 1; i <= 5; i++ {
		rec := a.login("admin@charter.test", "wrong password!")
		if rec.Code != unknown.Code || text(doc(t, rec).Find(".error-summary p")) != wantMsg {
			t.Fatalf("attempt %d: %d %q; want the same answer as for an unknown email", i, rec.Code, text(doc(t, rec).Find(".error-summary p")))
		}
	}
	// Locked: even the right password is refused, with the same answer.
	rec := a.login("admin@charter.test", adminPassword)
	if rec.Code != unknown.Code || text(doc(t, rec).Find(".error-summary p")) != wantMsg {
		t.Fatalf("locked account with the right password: %d", rec.Code)
	}
	if v, _ := doc(t, rec).Find("input[name=email]").Attr("value"); v != "admin@charter.test" {
		t.Errorf("email not kept in the form: %q", v)
	}
	// The pause fades: a quarter of an hour later one attempt is back, and the owner gets in.
	a.clock.Add(14 * time.Minute)
	if rec := a.login("admin@charter.test", adminPassword); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("want still paused after 14 minutes, got %d", rec.Code)
	}
	a.clock.Add(time.Minute)
	a.signIn()
	var adm models.Admin
	a.store.DB.Take(&adm)
	if adm.LastLoginAt == nil {
		t.Errorf("after sign-in: %+v", adm)
	}
}

func TestLoginThrottlesAClientAddress(t *testing.T) {
	a := newAdminApp(t)
	for i := 0; i < 20; i++ {
		if rec := a.login("guess"+itoa(int64(i))+"@charter.test", "guessed password"); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
	}
	rec := a.login("admin@charter.test", adminPassword)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after 20 failures from one address: %d, want 429", rec.Code)
	}
	if msg := text(doc(t, rec).Find(".error-summary p")); !contains(msg, "Too many") {
		t.Errorf("message %q", msg)
	}
	if got := rec.Header().Get("Retry-After"); got != "180" { // one attempt comes back every 3 minutes
		t.Errorf("Retry-After %q, want 180", got)
	}
	// Another address is not affected.
	other := a.browser()
	req := func() int {
		form := url.Values{"email": {"admin@charter.test"}, "password": {adminPassword}}
		r := httptestRequest(http.MethodPost, "/admin/login", form, other.cookies)
		r.RemoteAddr = "198.51.100.7:4000"
		return serve(other.router, r).Code
	}
	if code := req(); code != http.StatusSeeOther {
		t.Errorf("another address: %d", code)
	}
	a.clock.Add(3 * time.Minute)
	a.signIn()
}

func TestSessionIsRotatedAtLogin(t *testing.T) {
	a := newAdminApp(t)
	// A session id planted in the browser before sign-in is replaced.
	a.cookies["charter_admin"] = &http.Cookie{Name: "charter_admin", Value: "planted-by-someone-else"}
	a.signIn()
	first := a.cookies["charter_admin"].Value
	if first == "planted-by-someone-else" {
		t.Fatal("the planted session id was kept")
	}
	old := a.browser()
	old.cookies["charter_admin"] = &http.Cookie{Name: "charter_admin", Value: first}
	if rec := old.get("/admin"); rec.Code != http.StatusOK {
		t.Fatalf("first session: %d", rec.Code)
	}
	a.signIn()
	second := a.cookies["charter_admin"].Value
	if second == first {
		t.Fatal("signing in again kept the session id")
	}
	if rec := old.get("/admin"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(location(rec), "/admin/login") {
		t.Errorf("the old session id still works: %d", rec.Code)
	}
	var n int64
	a.store.DB.Model(&models.Session{}).Count(&n)
	if n != 1 {
		t.Errorf("%d sessions stored, want 1", n)
	}
}

func TestSessionsExpire(t *testing.T) {
	a := newAdminApp(t)
	a.signIn()
	// Activity keeps a session alive past the idle timeout...
	for i := 0; i < 3; i++ {
		a.clock.Add(20 * time.Minute)
		if rec := a.get("/admin"); rec.Code != http.StatusOK {
			t.Fatalf("after %d×20 min of activity: %d", i+1, rec.Code)
		}
	}
	// ...but 30 minutes without a request end it.
	a.clock.Add(31 * time.Minute)
	rec := a.get("/admin/audit")
	if rec.Code != http.StatusSeeOther || location(rec) != "/admin/login?next=%2Fadmin%2Faudit" {
		t.Fatalf("idle session: %d %q", rec.Code, location(rec))
	}
	// Signing in again brings the browser back where it was going.
	rec = a.do(http.MethodPost, "/admin/login", url.Values{"email": {"admin@charter.test"},
		"password": {adminPassword}, "next": {"/admin/audit"}})
	if location(rec) != "/admin/audit" {
		t.Errorf("after sign-in: %q", location(rec))
	}
	// However active, a session ends 12 hours after sign-in.
	for i := 0; i < 36; i++ {
		a.clock.Add(20 * time.Minute)
		if rec := a.get("/admin"); rec.Code != http.StatusOK {
			if i < 35 {
				t.Fatalf("ended after %d min", (i+1)*20)
			}
			return
		}
	}
	t.Error("a session lived past its 12 hours")
}

func TestNextCannotLeaveTheConsole(t *testing.T) {
	a := newAdminApp(t)
	for _, next := range []string{"https://evil.example", "//evil.example", "/signatories", "/admin\\@evil"} {
		rec := a.do(http.MethodPost, "/admin/login", url.Values{"email": {"admin@charter.test"},
			"password": {adminPassword}, "next": {next}})
		if location(rec) != "/admin" {
			t.Errorf("next=%q: redirected to %q", next, location(rec))
		}
	}
}

func TestLogoutIsAPostThatEndsTheSession(t *testing.T) {
	a := newAdminApp(t)
	a.signIn()
	if rec := a.get("/admin/logout"); rec.Code == http.StatusSeeOther && location(rec) == "/admin/login" {
		t.Error("GET signs out")
	}
	if rec := a.get("/admin"); rec.Code != http.StatusOK {
		t.Fatalf("still signed in after GET /admin/logout? %d", rec.Code)
	}
	rec := a.post("/admin/logout", nil)
	if rec.Code != http.StatusSeeOther || location(rec) != "/admin/login" {
		t.Fatalf("logout: %d %q", rec.Code, location(rec))
	}
	if rec := a.get("/admin"); rec.Code != http.StatusSeeOther {
		t.Errorf("after logout: %d", rec.Code)
	}
	var n int64
	a.store.DB.Model(&models.Session{}).Count(&n)
	if n != 0 {
		t.Errorf("%d sessions left", n)
	}
}

func TestDisabledAdminIsSignedOut(t *testing.T) {
	a := newAdminApp(t)
	a.signIn()
	if err := a.store.DisableAdmin(t.Context(), "admin@charter.test"); err != nil {
		t.Fatal(err)
	}
	if rec := a.get("/admin"); rec.Code != http.StatusSeeOther {
		t.Errorf("disabled admin's session: %d", rec.Code)
	}
	if rec := a.login("admin@charter.test", adminPassword); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("disabled admin signs in: %d", rec.Code)
	}
}
