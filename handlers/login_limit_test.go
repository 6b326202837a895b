package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// loginFrom posts the sign-in form of browser b as if it came from the address remote.
func (a *app) loginFrom(remote, email, password string) *httptest.ResponseRecorder {
	a.t.Helper()
	form := url.Values{"email": {email}, "password": {password}}
	r := httptestRequest(http.MethodPost, "/admin/login", form, a.cookies)
	r.RemoteAddr = remote
	rec := serve(a.router, r)
	for _, c := range rec.Result().Cookies() {
		a.cookies[c.Name] = c
	}
	return rec
}

// The browser that signed in before gets a device cookie, and with it signs in while strangers
// have paused the account for every browser it does not know.
func TestOwnersDeviceSignsInWhileStrangersArePaused(t *testing.T) {
	for _, secure := range []bool{false, true} {
		a := newAdminApp(t)
		a.h.Secure = secure
		a.router = a.h.Router()
		a.signIn()
		ck := a.cookies["charter_device"]
		if ck == nil {
			t.Fatal("no device cookie after sign-in")
		}
		if !ck.HttpOnly || ck.Path != "/admin" || ck.Secure != secure || ck.MaxAge < 300*24*3600 {
			t.Errorf("device cookie %+v: want HttpOnly, Path=/admin, Secure=%v, kept for a year", ck, secure)
		}
		a.post("/admin/logout", nil)

		stranger := a.browser()
		for i := range 8 {
			stranger.loginFrom(fmt.Sprintf("203.0.113.%d:4000", i+1), "admin@charter.test", "a wrong guess")
		}
		newBrowser := a.browser()
		if rec := newBrowser.loginFrom("198.51.100.7:4000", "admin@charter.test", adminPassword); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a new browser on the paused account: %d", rec.Code)
		}
		if rec := a.loginFrom("203.0.113.1:4000", "admin@charter.test", adminPassword); rec.Code != http.StatusSeeOther {
			t.Fatalf("the owner's device: %d, want 303", rec.Code)
		}
		if a.cookies["charter_device"].Value == ck.Value {
			t.Error("the device cookie was not renewed at sign-in")
		}
	}
}

// When every password check slot and the queue are taken, sign-in answers 503 with a Retry-After
// the queue will have drained by.
func TestSignInAnswersBusyPastTheCapOnPasswordChecks(t *testing.T) {
	a := newAdminApp(t)
	a.store.LimitPasswordChecks(1)
	codes := make([]int, 30)
	retry := make([]string, 30)
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			form := url.Values{"email": {fmt.Sprintf("guess%d@charter.test", i)}, "password": {"a wrong guess"}}
			r := httptestRequest(http.MethodPost, "/admin/login", form, a.cookies)
			r.RemoteAddr = fmt.Sprintf("192.0.2.%d:4000", i+1)
			rec := serve(a.router, r)
			codes[i], retry[i] = rec.Code, rec.Header().Get("Retry-After")
		})
	}
	wg.Wait()
	busy := 0
	for i, code := range codes {
		switch code {
		case http.StatusServiceUnavailable:
			busy++
			if s, err := strconv.Atoi(retry[i]); err != nil || s < 1 || s > 10 {
				t.Errorf("503 with Retry-After %q", retry[i])
			}
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("status %d", code)
		}
	}
	if busy == 0 {
		t.Fatal("no sign-in was turned away with 1 slot and 30 at once")
	}
	if n := a.store.PasswordChecks(); n.Busy != int64(busy) {
		t.Errorf("checks %+v, %d answered 503", n, busy)
	}
	// Once the queue is drained, sign-in works again.
	a.signIn()
}
