package handlers

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"charter/models/dbtest"
)

func TestFormGuard(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	h := &Handler{Store: dbtest.New(t, nil), Now: func() time.Time { return now }}
	e := h.Router()
	check := func(form url.Values) string {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		reason, _, err := h.checkForm(e.NewContext(req, httptest.NewRecorder()))
		if err != nil {
			t.Fatal(err)
		}
		return reason
	}
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	stamp, err := h.formStamp(e.NewContext(get, httptest.NewRecorder()))
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.formStamp(e.NewContext(get, httptest.NewRecorder()))
	if err != nil {
		t.Fatal(err)
	}
	if other == stamp {
		t.Fatal("two forms served at the same moment got the same stamp")
	}

	cases := []struct {
		name  string
		after time.Duration
		form  url.Values
		want  string
	}{
		{"too fast", time.Second, url.Values{"_stamp": {stamp}}, guardTooFast},
		{"honeypot", 40 * time.Second, url.Values{"_stamp": {stamp}, "homepage": {"http://spam.example"}}, guardHoneypot},
		{"a person", 40 * time.Second, url.Values{"_stamp": {stamp}}, guardOK},
		{"the same stamp again", 50 * time.Second, url.Values{"_stamp": {stamp}}, guardUsed},
		{"another spelling of it", 50 * time.Second, url.Values{"_stamp": {respell(t, stamp)}}, guardExpired},
		{"another form of the same moment", 50 * time.Second, url.Values{"_stamp": {other}}, guardOK},
		{"a day later", 25 * time.Hour, url.Values{"_stamp": {stamp}}, guardExpired},
		{"no stamp", 40 * time.Second, url.Values{}, guardExpired},
		{"forged stamp", 40 * time.Second, url.Values{"_stamp": {strings.Repeat("A", 43)}}, guardExpired},
		{"tampered time", 40 * time.Second, url.Values{"_stamp": {tamper(stamp, 8)}}, guardExpired},
	}
	served := now
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now = served.Add(tc.after)
			if got := check(tc.form); got != tc.want {
				t.Errorf("checkForm = %q, want %q", got, tc.want)
			}
		})
	}
}

// tamper changes the base64 character at i of a stamp, and so a byte of the time it carries.
func tamper(stamp string, i int) string {
	c := byte('B')
	if stamp[i] == 'B' {
		c = 'C'
	}
	return stamp[:i] + string(c) + stamp[i+1:]
}

// respell writes the same stamp bytes with other unused low bits in the last base64 character,
// which a lenient decoder would read as the same stamp.
func respell(t *testing.T, stamp string) string {
	last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", stamp[len(stamp)-1])
	s := stamp[:len(stamp)-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last^1])
	a, _ := base64.RawURLEncoding.DecodeString(stamp)
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || string(a) != string(b) {
		t.Fatalf("respelling %q as %q changed its bytes", stamp, s)
	}
	return s
}
