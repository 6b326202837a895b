package handlers

import (
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
		reason, err := h.checkForm(e.NewContext(req, httptest.NewRecorder()))
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

	cases := []struct {
		name  string
		after time.Duration
		form  url.Values
		want  string
	}{
		{"a person", 40 * time.Second, url.Values{"_stamp": {stamp}}, guardOK},
		{"too fast", time.Second, url.Values{"_stamp": {stamp}}, guardTooFast},
		{"a day later", 25 * time.Hour, url.Values{"_stamp": {stamp}}, guardExpired},
		{"no stamp", 40 * time.Second, url.Values{}, guardExpired},
		{"forged stamp", 40 * time.Second, url.Values{"_stamp": {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}, guardExpired},
		{"tampered time", 40 * time.Second, url.Values{"_stamp": {tamper(stamp, 8)}}, guardExpired},
		{"honeypot", 40 * time.Second, url.Values{"_stamp": {stamp}, "homepage": {"http://spam.example"}}, guardHoneypot},
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
