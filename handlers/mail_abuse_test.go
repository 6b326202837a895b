package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"charter/models"
)

// signFrom sends the sign-up form as a browser at remote (ip:port) would: its own cookies, the
// form's hidden fields, a person's fill time.
func (a *app) signFrom(remote string, form map[string][]string) *httptest.ResponseRecorder {
	a.t.Helper()
	f := a.hiddenFields("/sign")
	for k, v := range form {
		f[k] = v
	}
	a.clock.Add(fillTime)
	req := httptestRequest(http.MethodPost, "/sign", f, a.cookies)
	req.RemoteAddr = remote
	return serve(a.router, req)
}

func TestSignupsFromManyAddressesMailOneMailboxAtMostThreeTimes(t *testing.T) {
	a := newApp(t)
	var wg sync.WaitGroup
	codes := make(chan string, 100)
	sem := make(chan struct{}, 8)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			b := a.browser()
			f := validSignup(a)
			f.Set("name", fmt.Sprintf("Call +1 555 0100 https://spam.example/%d", i))
			f.Set("website", fmt.Sprintf("https://www.org%d.org/", i))
			f.Set("contact-email", fmt.Sprintf("Victim+%d@example.org", i))
			rec := b.signFrom(fmt.Sprintf("203.0.113.%d:4000", i), f)
			codes <- fmt.Sprint(rec.Code, " ", location(rec))
		}()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != "303 /sign/sent" {
			t.Fatalf("a sign-up was answered %q, want the same 303 /sign/sent as every other", c)
		}
	}
	var mails []models.OutboxMessage
	for _, m := range a.outbox() {
		if models.Mailbox(m.ToAddr) == "victim@example.org" {
			mails = append(mails, m)
		}
	}
	if len(mails) != 3 {
		t.Fatalf("100 sign-ups to victim+N@example.org queued %d mails to that mailbox, want 3", len(mails))
	}
	if n := countSignatories(t, a); n != 100 {
		t.Errorf("%d applications kept, want 100 (unconfirmed, purged after 7 days)", n)
	}
	for _, m := range mails {
		if strings.Contains(m.Body, "spam.example") || strings.Contains(m.Body, "555") || strings.Contains(m.Body, "Anna") {
			t.Errorf("the mail quotes what the signer typed:\n%s", m.Body)
		}
	}
	if !strings.Contains(a.logs.String(), "mail refused by a mail limit") {
		t.Error("the refusals are not in the log")
	}

	// The resend form is limited the same way, with the same answer.
	f := a.hiddenFields("/sign/resend")
	f.Set("email", "victim+50@example.org")
	a.clock.Add(fillTime)
	if rec := a.do(http.MethodPost, "/sign/resend", f); rec.Code != http.StatusSeeOther || location(rec) != "/sign/sent" {
		t.Fatalf("resend = %d %s", rec.Code, location(rec))
	}
	if n := len(a.outbox()); n != 3 {
		t.Errorf("the resend form mailed the limited mailbox: %d mails", n)
	}
}

func TestFirstMailQuotesOnlyTheOrganisationName(t *testing.T) {
	cases := []struct {
		name   string
		quoted bool
	}{
		{"Ärzte ohne Grenzen", true},
		{"Save the Children UK", true},
		{"Visit www.spam.example now", false},
		{"Spam.example", false},
		{"Call 0800 123 4567", false},
		{"write to spam@spam.example", false},
		{"https://spam.example", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			f := validSignup(a)
			f.Set("name", tc.name)
			if rec := a.sendForm("/sign", "/sign", f); rec.Code != http.StatusSeeOther {
				t.Fatalf("POST /sign = %d\n%s", rec.Code, rec.Body.String())
			}
			m := outbox(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")[0]
			if strings.Contains(m.Body, "Anna") || strings.Contains(m.Body, "Head of policy") {
				t.Errorf("the mail quotes the contact's name or role:\n%s", m.Body)
			}
			if got := strings.Contains(m.Body, "\n  “"+tc.name+"”\n"); got != tc.quoted {
				t.Errorf("name quoted on its own line: %v, want %v\n%s", got, tc.quoted, m.Body)
			}
			if !tc.quoted && strings.Contains(m.Body, tc.name) {
				t.Errorf("a link-like name is in the mail:\n%s", m.Body)
			}
		})
	}
}
