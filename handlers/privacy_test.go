package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"charter/mail/mailtest"
	"charter/models"
)

// The contact's name, role and email, given as markers, go through the whole life of a
// signature — sign, confirm, review, approve, manage, withdraw, and a few mistakes on the way —
// and never appear in a public response, nor in a log line at info level or above.
func TestContactDataNeverLeaks(t *testing.T) {
	a := newApp(t, notifyAdmins)
	smtp := mailtest.Start(t)
	a.startMailer(smtp.URL())
	if _, err := a.store.CreateAdmin(context.Background(), "admin@charter.test", adminPassword); err != nil {
		t.Fatal(err)
	}
	markers := []string{"zqxname", "zqxrole", "zqxmail"}
	form := validSignup(a)
	form.Set("contact-name", "Zqxname Person")
	form.Set("contact-role", "Zqxrole Director")
	form.Set("contact-email", "zqxmail@aerzte-ohne-grenzen.de")
	email := "zqxmail@aerzte-ohne-grenzen.de"

	var public []string // every public URL the journey can reach
	fetchPublic := func(stage string) {
		t.Helper()
		for _, target := range public {
			rec := a.get(target)
			body := strings.ToLower(rec.Body.String())
			for _, m := range markers {
				if strings.Contains(body, m) {
					t.Errorf("%s: GET %s (%d) shows the contact's %q", stage, target, rec.Code, m)
				}
			}
		}
	}

	if rec := a.sendForm("/sign", "/sign", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign: %d", rec.Code)
	}
	a.sendForm("/sign", "/sign", form) // the same address again: the link is mailed again
	bad := validSignup(a)
	bad.Set("contact-email", "zqxmail@@broken")
	a.sendForm("/sign", "/sign", bad) // a mistake, shown back to the person who made it only
	confirm := smtp.Wait(t, 1, 10*time.Second)[0].Link("http://charter.test/confirm/")
	confirmPath := pathOf(t, confirm)
	a.get(confirmPath)
	a.do(http.MethodPost, confirmPath, url.Values{})
	sig := signatoryByEmail(t, a.store, email)

	// A reviewer approves it.
	reviewer := a.browser()
	reviewer.signIn()
	reviewer.get(fmt.Sprintf("/admin/signatories/%d", sig.ID))
	rec := reviewer.do(http.MethodPost, fmt.Sprintf("/admin/signatories/%d/approve", sig.ID), url.Values{"_csrf": {reviewer.csrf()}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d", rec.Code)
	}
	if st := signatoryByEmail(t, a.store, email).Status; st != models.StatusApproved {
		t.Fatalf("status %s after approval", st)
	}
	public = []string{"/", "/signatories", "/signatories?q=arzte", "/signatories?category=civil_society&country=DE",
		"/signatories/" + sig.Slug, "/signatories/" + sig.Slug + "/badge.svg", "/signatories/" + sig.Slug + "/memorandum",
		"/signatories.csv", "/signatories.json", "/feed.atom", "/sign", "/manage", "/no-such-page", "/confirm/" + strings.Repeat("A", 43),
		confirmPath, "/admin", "/admin/login", "/admin/export.csv"}
	fetchPublic("approved")

	// The contact withdraws.
	a.sendForm("/manage", "/manage", url.Values{"email": {email}})
	var manage string
	for deadline := time.Now().Add(10 * time.Second); manage == "" && time.Now().Before(deadline); {
		for _, m := range smtp.Messages() {
			if l := m.Link("http://charter.test/manage/"); l != "" {
				manage = pathOf(t, l)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	a.get(manage)
	a.do(http.MethodPost, manage, url.Values{})
	if st := signatoryByEmail(t, a.store, email).Status; st != models.StatusWithdrawn {
		t.Fatalf("status %s after withdrawal", st)
	}
	public = append(public, manage)
	fetchPublic("withdrawn")

	for _, line := range strings.Split(a.logs.String(), "\n") {
		if strings.Contains(line, "level=DEBUG") {
			continue
		}
		for _, m := range markers {
			if strings.Contains(strings.ToLower(line), m) {
				t.Errorf("a log line shows the contact's %q: %s", m, line)
			}
		}
	}
	if !strings.Contains(a.logs.String(), "level=INFO") {
		t.Fatal("the log is empty: this test would prove nothing")
	}
}
