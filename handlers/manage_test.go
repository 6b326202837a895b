package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"charter/mail/mailtest"
	"charter/models"
	"charter/models/dbtest"
)

func TestWithdrawal(t *testing.T) {
	cases := []struct {
		from, to models.Status
		lead     string
	}{
		{models.StatusPending, models.StatusCancelled, "has not been decided yet"},
		{models.StatusApproved, models.StatusWithdrawn, "is on the public list"},
	}
	for _, tc := range cases {
		t.Run(string(tc.from), func(t *testing.T) {
			a := newApp(t, notifyAdmins)
			smtp := mailtest.Start(t)
			a.startMailer(smtp.URL())
			sig := dbtest.AddSignatory(t, a.store, tc.from, func(s *models.Signatory) {
				s.Name = "Kinderschutzbund"
				s.ContactEmail = "lea@kinderschutzbund.de"
			})

			// Ask for the link: the neutral answer, and the mail.
			rec := a.sendForm("/manage", "/manage", url.Values{"email": {"lea@kinderschutzbund.de"}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/manage/sent" {
				t.Fatalf("POST /manage = %d %q", rec.Code, rec.Header().Get("Location"))
			}
			m := smtp.Wait(t, 1, 10*time.Second)[0]
			link := pathOf(t, m.Link("/manage/"))

			// Opening the link changes nothing.
			for i := 0; i < 2; i++ {
				d := doc(t, a.get(link))
				if got := text(d.Find(".lead")); !strings.Contains(got, "Kinderschutzbund") || !strings.Contains(got, tc.lead) {
					t.Errorf("manage page says %q", got)
				}
				if got := text(d.Find("form button.button-warning")); got != "Withdraw our signature" {
					t.Errorf("button %q", got)
				}
			}
			if st := signatoryByEmail(t, a.store, sig.ContactEmail).Status; st != tc.from {
				t.Fatalf("opening the link changed the status to %s", st)
			}

			rec = a.sendForm(link, link, nil)
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/withdrawn" {
				t.Fatalf("POST withdraw = %d %q", rec.Code, rec.Header().Get("Location"))
			}
			got := signatoryByEmail(t, a.store, sig.ContactEmail)
			if got.Status != tc.to {
				t.Errorf("status %s, want %s", got.Status, tc.to)
			}
			if (got.WithdrawnAt != nil) != (tc.to == models.StatusWithdrawn) {
				t.Errorf("withdrawn_at %v for %s", got.WithdrawnAt, tc.to)
			}
			if h1 := text(doc(t, a.get("/withdrawn")).Find("h1")); h1 != "Your signature has been withdrawn" {
				t.Errorf("/withdrawn: %q", h1)
			}
			var ev models.AuditEvent
			a.store.DB.Where("signatory_id = ? AND action = ?", sig.ID, "withdrawn").Take(&ev)
			if ev.Actor != models.ActorContact || ev.FromStatus != tc.from || ev.ToStatus != tc.to {
				t.Errorf("audit event %+v", ev)
			}
			confirmation := smtp.Wait(t, 2, 10*time.Second)[1]
			if confirmation.To[0] != sig.ContactEmail || !strings.Contains(confirmation.Body, "Kinderschutzbund") {
				t.Errorf("confirmation to %v: %s", confirmation.To, confirmation.Body)
			}

			// The link is spent.
			if rec := a.sendForm("/manage", link, nil); rec.Code != http.StatusGone {
				t.Errorf("second withdrawal = %d, want 410", rec.Code)
			}
		})
	}
}

func TestManageAnswersTheSameForUnknownAddresses(t *testing.T) {
	a := newApp(t, notifyAdmins)
	dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.ContactEmail = "known@example.org" })
	dbtest.AddSignatory(t, a.store, models.StatusRejected, func(s *models.Signatory) { s.ContactEmail = "rejected@example.org" })
	var pages []string
	for _, email := range []string{"known@example.org", "nobody@example.org", "rejected@example.org"} {
		rec := a.sendForm("/manage", "/manage", url.Values{"email": {email}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("%s: %d", email, rec.Code)
		}
		pages = append(pages, rec.Header().Get("Location"))
	}
	if pages[0] != pages[1] || pages[1] != pages[2] {
		t.Errorf("answers differ: %v", pages)
	}
	if n := len(outbox(t, a.store, "known@example.org")); n != 1 {
		t.Errorf("%d manage mails to the known address, want 1", n)
	}
	if n := len(outbox(t, a.store, "rejected@example.org")); n != 0 {
		t.Errorf("a rejected signatory was sent a manage link")
	}
	// Asking again at once sends nothing more; after ten minutes it does.
	a.sendForm("/manage", "/manage", url.Values{"email": {"known@example.org"}})
	if n := len(outbox(t, a.store, "known@example.org")); n != 1 {
		t.Errorf("%d manage mails after asking twice at once, want 1", n)
	}
	a.clock.Add(11 * time.Minute)
	a.sendForm("/manage", "/manage", url.Values{"email": {"known@example.org"}})
	if n := len(outbox(t, a.store, "known@example.org")); n != 2 {
		t.Errorf("%d manage mails after ten minutes, want 2", n)
	}
	// A malformed address is a form error.
	rec := a.sendForm("/manage", "/manage", url.Values{"email": {"known@example.org\r\nBcc: x@example.org"}})
	if rec.Code != http.StatusUnprocessableEntity || text(doc(t, rec).Find("#email-error")) == "" {
		t.Errorf("bad address: %d", rec.Code)
	}
}

func TestApplyingAgainWhileOpenResendsTheLink(t *testing.T) {
	a := newApp(t, notifyAdmins)
	const email = "anna.schmidt@aerzte-ohne-grenzen.de"
	first := a.sendForm("/sign", "/sign", validSignup(a))

	// At once again, with a changed name: the same answer, no new row, no new mail yet.
	form := validSignup(a)
	form.Set("name", "Another name entirely")
	again := a.sendForm("/sign", "/sign", form)
	if first.Code != again.Code || first.Header().Get("Location") != again.Header().Get("Location") {
		t.Errorf("answers differ: %d %q and %d %q", first.Code, first.Header().Get("Location"), again.Code, again.Header().Get("Location"))
	}
	sig := signatoryByEmail(t, a.store, email)
	if sig.Name != "Ärzte ohne Grenzen" {
		t.Errorf("the second application changed the first: %q", sig.Name)
	}
	if n := len(outbox(t, a.store, email)); n != 1 {
		t.Fatalf("%d mails after applying twice at once, want 1", n)
	}

	// Ten minutes later: the link is sent again, a new one, and both work until one is used.
	a.clock.Add(11 * time.Minute)
	a.sendForm("/sign", "/sign", validSignup(a))
	msgs := outbox(t, a.store, email)
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want 2", len(msgs))
	}
	l1, l2 := pathOf(t, linkIn(msgs[0].Body, "/confirm/")), pathOf(t, linkIn(msgs[1].Body, "/confirm/"))
	if l1 == l2 {
		t.Error("the same token was mailed twice")
	}
	if rec := a.sendForm("/sign", l2, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm with the new link = %d", rec.Code)
	}
	if rec := a.get(l1); rec.Code != http.StatusGone {
		t.Errorf("the older link still opens the confirm page after confirming: %d", rec.Code)
	}

	// Pending now: applying again tells the contact it is awaiting review.
	a.clock.Add(11 * time.Minute)
	a.sendForm("/sign", "/sign", validSignup(a))
	msgs = outbox(t, a.store, email)
	if len(msgs) != 3 || !strings.Contains(msgs[2].Subject, "awaiting review") {
		t.Errorf("after applying while pending: %d mails, last %q", len(msgs), msgs[len(msgs)-1].Subject)
	}
	signatoryByEmail(t, a.store, email) // still one

	// The resend page: same rules.
	a2 := newApp(t, notifyAdmins)
	a2.sendForm("/sign", "/sign", validSignup(a2))
	a2.clock.Add(11 * time.Minute)
	rec := a2.sendForm("/sign/resend", "/sign/resend", url.Values{"email": {email}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign/sent" {
		t.Errorf("resend = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if n := len(outbox(t, a2.store, email)); n != 2 {
		t.Errorf("%d mails after asking for a new link, want 2", n)
	}
}
