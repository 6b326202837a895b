package handlers_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
)

// countSignatories is how many applications are stored.
func countSignatories(t *testing.T, a *app) int64 {
	t.Helper()
	var n int64
	if err := a.store.DB.Model(&models.Signatory{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFormGuardsRefuseBotsWithAClearMessage(t *testing.T) {
	cases := []struct {
		name    string
		fill    time.Duration
		tamper  func(url.Values)
		message string
	}{
		{"sent faster than a person types", time.Second, nil, "quicker than we expected"},
		{"honeypot filled in", 30 * time.Second, func(f url.Values) { f.Set("homepage", "https://spam.example") }, "form-filling tool"},
		{"no time stamp", 30 * time.Second, func(f url.Values) { f.Del("_stamp") }, "expired"},
		{"form served two days ago", 49 * time.Hour, nil, "expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			form := a.hiddenFields("/sign")
			for k, v := range validSignup(a) {
				form[k] = v
			}
			if tc.tamper != nil {
				tc.tamper(form)
			}
			a.clock.Add(tc.fill)
			rec := a.do(http.MethodPost, "/sign", form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("POST /sign = %d, want 422", rec.Code)
			}
			d := doc(t, rec)
			if msg := text(d.Find(".error-summary li").First()); !contains(msg, tc.message) {
				t.Errorf("first problem shown: %q, want it to mention %q", msg, tc.message)
			}
			if v, _ := d.Find(`input[name="name"]`).Attr("value"); v != "Ärzte ohne Grenzen" {
				t.Errorf("the entered name was not kept: %q", v)
			}
			if n := countSignatories(t, a); n != 0 {
				t.Errorf("%d applications stored, want none", n)
			}
			// The form shown again carries a stamp good enough for a person to send it now.
			if tc.name != "honeypot filled in" {
				again := url.Values{}
				d.Find(`form input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
					n, _ := s.Attr("name")
					v, _ := s.Attr("value")
					again.Set(n, v)
				})
				for k, v := range validSignup(a) {
					again[k] = v
				}
				a.clock.Add(fillTime)
				if rec := a.do(http.MethodPost, "/sign", again); rec.Code != http.StatusSeeOther {
					t.Errorf("sending the form again: %d, want 303", rec.Code)
				}
			}
		})
	}
}

// postFrom sends a form from a given client address, with the given X-Forwarded-For header.
func (a *app) postFrom(remote, forwardedFor, target string, form url.Values) int {
	a.t.Helper()
	req := httptestRequest(http.MethodPost, target, form, a.cookies)
	req.RemoteAddr = remote
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec.Code
}

func TestSigningIsRateLimitedPerClient(t *testing.T) {
	a := newApp(t)
	form := url.Values{"email": {"someone@example.org"}}

	// Ten forms in a burst from one address pass (the guards refuse them: 422); the eleventh is
	// turned away before it is read, even when it claims to come from elsewhere.
	for i := range 10 {
		if code := a.postFrom("192.0.2.1:1000", "", "/manage", form); code != http.StatusUnprocessableEntity {
			t.Fatalf("request %d: %d", i+1, code)
		}
	}
	rec := httptest.NewRecorder()
	req := httptestRequest(http.MethodPost, "/manage", form, a.cookies)
	req.RemoteAddr = "192.0.2.1:1000"
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	a.router.ServeHTTP(rec, req)
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("the eleventh request: %d, want 429", rec.Code)
	}
	if h1 := text(doc(t, rec).Find("h1")); h1 != "Too many requests" {
		t.Errorf("h1 = %q", h1)
	}
	// The limit refills one form every 20 s, so that is the truthful wait; after it, one passes.
	if got := rec.Header().Get("Retry-After"); got != "20" {
		t.Errorf("Retry-After %q, want 20", got)
	}
	a.clock.Add(19 * time.Second)
	if code := a.postFrom("192.0.2.1:1000", "", "/manage", form); code != http.StatusTooManyRequests {
		t.Errorf("a second before the Retry-After: %d, want 429", code)
	}
	a.clock.Add(time.Second)
	if code := a.postFrom("192.0.2.1:1000", "", "/manage", form); code == http.StatusTooManyRequests {
		t.Error("refused although Retry-After has passed")
	}
	// Another client is not affected; the sign-up form shares the limit of the first client.
	if code := a.postFrom("198.51.100.2:1000", "", "/manage", form); code == http.StatusTooManyRequests {
		t.Error("another address was limited")
	}
	if code := a.postFrom("192.0.2.1:1000", "", "/sign", form); code != http.StatusTooManyRequests {
		t.Errorf("POST /sign from the limited address: %d, want 429", code)
	}
}

func TestTrustedProxiesNameTheClient(t *testing.T) {
	a := newApp(t)
	_, proxy, _ := net.ParseCIDR("192.0.2.1/32")
	a.h.TrustedProxies = []*net.IPNet{proxy}
	a.router = a.h.Router()
	form := url.Values{"email": {"someone@example.org"}}

	// Behind the trusted proxy, each forwarded client has its own allowance.
	for i := range 15 {
		client := net.IPv4(203, 0, 113, byte(i)).String()
		if code := a.postFrom("192.0.2.1:1000", client, "/manage", form); code == http.StatusTooManyRequests {
			t.Fatalf("client %s was limited by the others' requests", client)
		}
	}
	// One client behind it is still limited, however it writes the header.
	codes := map[int]int{}
	for range 11 {
		codes[a.postFrom("192.0.2.1:1000", "198.51.100.77", "/manage", form)]++
	}
	if codes[http.StatusTooManyRequests] != 1 {
		t.Errorf("eleven requests of one forwarded client: %v, want exactly one 429", codes)
	}
}
