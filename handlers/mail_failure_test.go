package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"charter/mail"
	"charter/mail/mailtest"
)

const contactAddr = "anna.schmidt@aerzte-ohne-grenzen.de"

// noAddressInLog fails the test if the contact's address reached the log, at any level.
func noAddressInLog(t *testing.T, a *app) {
	t.Helper()
	if logs := strings.ToLower(a.logs.String()); strings.Contains(logs, "anna.schmidt") {
		t.Errorf("the contact's address is in the log:\n%s", logs)
	}
}

func TestPermanentRefusalStopsAndCanBeSentAgainFromTheConsole(t *testing.T) {
	a := newAdminApp(t)
	a.h.NotifyAdmins = false
	smtp := mailtest.Start(t)
	smtp.Refuse(contactAddr, 550)
	sender, err := mail.NewSMTPSender(smtp.URL(), "Charter <charter@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(a.store, sender, a.h.Log)
	ctx := context.Background()

	a.sendForm("/sign", "/sign", validSignup(a))
	w.SendDue(ctx)
	m := outbox(t, a.store, contactAddr)[0]
	if m.FailedAt == nil || m.Attempts != 1 || !strings.Contains(m.LastError, "550") {
		t.Fatalf("after a 550: failed %v, attempts %d, reason %q; want failed after one attempt", m.FailedAt, m.Attempts, m.LastError)
	}
	if strings.Contains(m.LastError, "anna") {
		t.Errorf("the stored reason names the recipient: %q", m.LastError)
	}
	// No more attempts, however long we wait.
	a.clock.Add(48 * time.Hour)
	w.SendDue(ctx)
	if m := outbox(t, a.store, contactAddr)[0]; m.Attempts != 1 {
		t.Errorf("a refused message was tried again: %d attempts", m.Attempts)
	}

	// The console shows it, and sends it again once the address works.
	a.signIn()
	rec := a.get("/admin/mail")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /admin/mail = %d", rec.Code)
	}
	row := doc(t, rec).Find("table.failed-mail tbody tr")
	if row.Length() != 1 || !contains(text(row), contactAddr) || !contains(text(row), "Confirm your organisation") ||
		!contains(text(row), "550") {
		t.Fatalf("failed-mail list: %q", text(row))
	}
	if nav := doc(t, rec).Find(`.admin-nav a[href="/admin/mail"]`); nav.Length() != 1 {
		t.Error("no link to the failed mail in the console's navigation")
	}
	smtp.Refuse(contactAddr, 0)
	rec = a.post("/admin/mail/"+itoa(m.ID)+"/retry", nil)
	if rec.Code != http.StatusSeeOther || location(rec) != "/admin/mail" {
		t.Fatalf("send again = %d %s", rec.Code, location(rec))
	}
	if page := a.get("/admin/mail"); !contains(text(doc(t, page).Find(".flash")), "sent again") ||
		doc(t, page).Find("table.failed-mail tbody tr").Length() != 0 {
		t.Errorf("after send again, the list still shows it or no message says so:\n%s", page.Body.String())
	}
	if n := w.SendDue(ctx); n != 1 {
		t.Fatalf("%d sent after send again, want 1", n)
	}
	if got := smtp.Wait(t, 1, 5*time.Second); got[0].To[0] != contactAddr {
		t.Errorf("delivered to %v", got[0].To)
	}
	var actions []string
	for _, e := range a.auditOf(*m.SignatoryID) {
		actions = append(actions, string(e.Action))
	}
	if s := strings.Join(actions, " "); !strings.Contains(s, "mail_failed mail_resent") {
		t.Errorf("audit of the signatory: %s", s)
	}
	// A second press of an old button changes nothing.
	if rec := a.post("/admin/mail/"+itoa(m.ID)+"/retry", nil); rec.Code != http.StatusSeeOther {
		t.Errorf("send again of a sent message = %d", rec.Code)
	}
	noAddressInLog(t, a)
}

func TestTemporaryRefusalRetriesThenGivesUp(t *testing.T) {
	a := newApp(t)
	smtp := mailtest.Start(t)
	smtp.Refuse(contactAddr, 450)
	sender, err := mail.NewSMTPSender(smtp.URL(), "Charter <charter@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(a.store, sender, a.h.Log)
	ctx := context.Background()

	a.sendForm("/sign", "/sign", validSignup(a))
	for i := 1; i <= 3; i++ {
		w.SendDue(ctx)
		m := outbox(t, a.store, contactAddr)[0]
		if m.FailedAt != nil || m.Attempts != i || !strings.Contains(m.LastError, "450") {
			t.Fatalf("after %d 450s: failed %v, attempts %d, reason %q; want a retry", i, m.FailedAt, m.Attempts, m.LastError)
		}
		a.clock.Add(mail.Backoff(i))
	}
	a.clock.Add(mail.GiveUpAfter)
	w.SendDue(ctx)
	if m := outbox(t, a.store, contactAddr)[0]; m.FailedAt == nil || !strings.Contains(m.LastError, "too long") {
		t.Errorf("after %s of 450s: failed %v, reason %q; want given up", mail.GiveUpAfter, m.FailedAt, m.LastError)
	}
	if !strings.Contains(a.logs.String(), "450") {
		t.Error("the log does not say why the mail was not sent")
	}
	noAddressInLog(t, a)
}
