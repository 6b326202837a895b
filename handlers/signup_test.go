package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"charter/mail/mailtest"
	"charter/models"
)

func TestSigningJourneyWithRealSMTP(t *testing.T) {
	a := newApp(t, notifyAdmins)
	smtp := mailtest.Start(t)
	a.startMailer(smtp.URL())
	if err := a.store.DB.Exec(`INSERT INTO admins (email, password_hash, created_at) VALUES
		('reviewer@charter.test', 'x', ?), ('gone@charter.test', 'x', ?)`, a.clock.Now(), a.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	if err := a.store.DB.Exec(`UPDATE admins SET disabled_at = ? WHERE email = 'gone@charter.test'`, a.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}

	// The form.
	page := doc(t, a.get("/sign"))
	for _, id := range []string{"name", "category", "country", "website", "statement", "contact-name",
		"contact-role", "contact-email", "authorised", "agrees"} {
		if page.Find("#"+id).Length() != 1 {
			t.Errorf("the form has no #%s", id)
		}
		if id != "category" && page.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("#%s has no label", id)
		}
	}
	if got := text(page.Find(`label[for="agrees"]`)); !strings.Contains(got, a.h.Charter.Version) {
		t.Errorf("the agreement %q does not name the charter version", got)
	}
	if n := page.Find("#country option").Length(); n != 250 {
		t.Errorf("%d country options, want 249 countries and the empty choice", n)
	}

	// Sign.
	rec := a.sendForm("/sign", "/sign", validSignup(a))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign/sent" {
		t.Fatalf("POST /sign = %d to %q, want 303 to /sign/sent; %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if got := text(doc(t, a.get("/sign/sent")).Find("h1")); got != "Check your email" {
		t.Errorf("after signing: %q", got)
	}
	sig := signatoryByEmail(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")
	if sig.Status != models.StatusSubmitted || sig.Website != "https://www.aerzte-ohne-grenzen.de" ||
		sig.WebsiteDomain != "aerzte-ohne-grenzen.de" || sig.Slug != "arzte-ohne-grenzen" ||
		sig.CharterVersion != a.h.Charter.Version || sig.Statement != "We commit to safe digital services for children.\nAnd to report on it yearly." {
		t.Errorf("stored %+v", sig)
	}

	// The mail arrives over SMTP; its link opens the confirmation page, twice, changing nothing.
	msgs := smtp.Wait(t, 1, 10*time.Second)
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "anna.schmidt@aerzte-ohne-grenzen.de" || !strings.Contains(m.Body, "Ärzte ohne Grenzen") {
		t.Fatalf("mail to %v: %s", m.To, m.Body)
	}
	link := pathOf(t, m.Link("/confirm/"))
	for i := 0; i < 2; i++ {
		rec := a.get(link)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %d of the link = %d", i+1, rec.Code)
		}
		d := doc(t, rec)
		if got := text(d.Find(".lead strong")); got != "Ärzte ohne Grenzen" {
			t.Errorf("confirmation page names %q", got)
		}
		if d.Find(`form[method="post"] button`).Length() != 1 {
			t.Error("no Confirm button")
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Error("the confirmation page may be cached")
		}
		if st := signatoryByEmail(t, a.store, sig.ContactEmail).Status; st != models.StatusSubmitted {
			t.Fatalf("after GET %d the status is %s: a mail scanner would have confirmed", i+1, st)
		}
	}

	// The button confirms.
	rec = a.sendForm(link, link, nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/confirmed" {
		t.Fatalf("POST confirm = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	got := signatoryByEmail(t, a.store, sig.ContactEmail)
	if got.Status != models.StatusPending || got.ConfirmedAt == nil {
		t.Errorf("after confirming: %s, confirmed at %v", got.Status, got.ConfirmedAt)
	}
	if h1 := text(doc(t, a.get("/confirmed")).Find("h1")); h1 != "Thank you" {
		t.Errorf("/confirmed: %q", h1)
	}

	// Again: refused, and says why.
	rec = a.do(http.MethodPost, link, map[string][]string{})
	if rec.Code != http.StatusGone {
		t.Fatalf("second POST confirm = %d, want 410", rec.Code)
	}
	d := doc(t, rec)
	if h1 := text(d.Find("h1")); h1 != "This link has already been used" {
		t.Errorf("second POST: %q", h1)
	}
	if href, _ := d.Find("a.button").Attr("href"); href != "/sign/resend" {
		t.Errorf("the used-link page offers %q, want the new-link page", href)
	}
	if rec := a.get(link); rec.Code != http.StatusGone {
		t.Errorf("GET of a used link = %d, want 410", rec.Code)
	}

	// The active administrator is told; the disabled one is not.
	msgs = smtp.Wait(t, 2, 10*time.Second)
	if len(msgs[1].To) != 1 || msgs[1].To[0] != "reviewer@charter.test" || !strings.Contains(msgs[1].Subject, "Ärzte ohne Grenzen") ||
		msgs[1].Link("/admin/signatories/") != fmt.Sprintf("http://charter.test/admin/signatories/%d", sig.ID) {
		t.Errorf("notice to %v: %q\n%s", msgs[1].To, msgs[1].Subject, msgs[1].Body)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d messages, want the confirmation link and one notice", n)
	}

	// The audit log tells the story.
	var actions []string
	a.store.DB.Model(&models.AuditEvent{}).Where("signatory_id = ?", sig.ID).Order("id").Pluck("action", &actions)
	if strings.Join(actions, ",") != "submitted,confirmed" {
		t.Errorf("audit: %v", actions)
	}
	// The log never holds the token, and with SMTP configured, not the contact's address.
	logs := a.logs.String()
	if strings.Contains(logs, link) || strings.Contains(logs, "anna.schmidt") {
		t.Errorf("the log holds a link or an address:\n%s", logs)
	}
}

func TestLinkProblems(t *testing.T) {
	a := newApp(t, notifyAdmins)
	a.sendForm("/sign", "/sign", validSignup(a))
	msgs := outbox(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")
	link := pathOf(t, linkIn(msgs[0].Body, "/confirm/"))

	cases := []struct {
		name   string
		path   string
		status int
		h1     string
	}{
		{"unknown", "/confirm/" + strings.Repeat("A", 43), http.StatusNotFound, "This link is not valid"},
		{"garbage", "/confirm/nope", http.StatusNotFound, "This link is not valid"},
		{"manage unknown", "/manage/" + strings.Repeat("B", 43), http.StatusNotFound, "This link is not valid"},
	}
	for _, tc := range cases {
		rec := a.get(tc.path)
		if rec.Code != tc.status || text(doc(t, rec).Find("h1")) != tc.h1 {
			t.Errorf("%s: %d %q, want %d %q", tc.name, rec.Code, text(doc(t, rec).Find("h1")), tc.status, tc.h1)
		}
	}

	a.clock.Add(7*24*time.Hour + time.Second)
	rec := a.get(link)
	if rec.Code != http.StatusGone || text(doc(t, rec).Find("h1")) != "This link has expired" {
		t.Errorf("expired link: %d %q", rec.Code, text(doc(t, rec).Find("h1")))
	}
	rec = a.sendForm("/sign", link, nil)
	if rec.Code != http.StatusGone {
		t.Errorf("POST of an expired link = %d", rec.Code)
	}
	if st := signatoryByEmail(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de").Status; st != models.StatusSubmitted {
		t.Errorf("an expired link confirmed: %s", st)
	}
}

// linkIn finds the first link in a mail body containing part.
func linkIn(body, part string) string {
	for _, f := range strings.Fields(body) {
		if strings.HasPrefix(f, "http") && strings.Contains(f, part) {
			return f
		}
	}
	return ""
}
