package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"charter/models"
)

const adminPassword = "correct horse battery"

// newAdminApp is the whole app on a database whose clock the test moves, with one
// administrator, admin@charter.test.
func newAdminApp(t *testing.T) *app {
	t.Helper()
	a := newApp(t)
	a.clock.Set(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	if _, err := a.store.CreateAdmin(context.Background(), "admin@charter.test", adminPassword); err != nil {
		t.Fatal(err)
	}
	return a
}

// browser is another browser on the same app: same router and database, its own cookies.
func (a *app) browser() *app {
	b := *a
	b.cookies = map[string]*http.Cookie{}
	return &b
}

// csrf returns the CSRF token of this browser's session, as read from the console's sign-out form.
func (a *app) csrf() string {
	a.t.Helper()
	rec := a.get("/admin")
	if tok, ok := doc(a.t, rec).Find(`form[action="/admin/logout"] input[name=_csrf]`).Attr("value"); ok && tok != "" {
		return tok
	}
	a.t.Fatalf("no CSRF token on the console (status %d): is this browser signed in?", rec.Code)
	return ""
}

// login signs in through the form and returns the answer to the POST.
func (a *app) login(email, password string) *httptest.ResponseRecorder {
	a.t.Helper()
	return a.do(http.MethodPost, "/admin/login", url.Values{"email": {email}, "password": {password}})
}

// signIn signs in as the app's administrator and fails the test if that does not work.
func (a *app) signIn() {
	a.t.Helper()
	rec := a.login("admin@charter.test", adminPassword)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin" {
		a.t.Fatalf("sign in: %d %s\n%s", rec.Code, rec.Header().Get("Location"), rec.Body.String())
	}
}

// post sends a form from a page of the console, with this browser's CSRF token.
func (a *app) post(target string, form url.Values) *httptest.ResponseRecorder {
	a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", a.csrf())
	return a.do(http.MethodPost, target, form)
}

func location(rec *httptest.ResponseRecorder) string { return rec.Header().Get("Location") }

func (a *app) signatory(id int64) *models.Signatory {
	a.t.Helper()
	var s models.Signatory
	if err := a.store.DB.Take(&s, id).Error; err != nil {
		a.t.Fatal(err)
	}
	return &s
}

func (a *app) outbox() []models.OutboxMessage {
	a.t.Helper()
	var ms []models.OutboxMessage
	if err := a.store.DB.Order("id").Find(&ms).Error; err != nil {
		a.t.Fatal(err)
	}
	return ms
}

func (a *app) auditOf(id int64) []models.AuditEvent {
	a.t.Helper()
	var es []models.AuditEvent
	if err := a.store.DB.Where("signatory_id = ?", id).Order("id").Find(&es).Error; err != nil {
		a.t.Fatal(err)
	}
	return es
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func httptestRequest(method, target string, form url.Values, cookies map[string]*http.Cookie) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}
