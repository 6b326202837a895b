package e2e

import (
	"strings"
	"testing"
)

// askForManageLink asks for a manage link for email on the /manage form and opens the n-th mail
// to it, which carries the link.
func (p *tab) askForManageLink(srv *server, email string, n int) string {
	p.t.Helper()
	p.visit("/manage")
	p.fill("Email address", email)
	srv.clock.Add(personPause)
	p.press("Email me a link")
	link := srv.linkMailedTo(p.t, email, n, "/manage/")
	p.open(link)
	return link
}

// An approved organisation keeps its entry current: it changes its statement (public at once),
// proposes a new name (public only once a reviewer approves it, with the former name shown after)
// and hands over to a new contact person (the old one's link stops working, the new one's works).
func TestSelfServiceJourney(t *testing.T) {
	srv := startServer(t)
	contact := newTab(t, srv.URL, false)
	contact.signUp(srv, anna)
	contact.confirmByEmail(srv, anna)
	approveAsAdmin(t, srv, false, anna)
	page := srv.linkMailedTo(t, anna.email, 2, "/signatories/")
	visitor := newTab(t, srv.URL, false)

	// The statement: published at once.
	link := contact.askForManageLink(srv, anna.email, 3)
	if h1 := contact.text("h1"); h1 != "Manage your signature" {
		t.Fatalf("the manage link opened %q", h1)
	}
	contact.checkPage("manage-self-service")
	contact.fill("Commitment statement", "We design every service for children first.")
	contact.press("Publish the statement")
	if flash := contact.text(".flash"); !strings.Contains(flash, "your new statement is on your public page") {
		t.Errorf("after publishing the statement: %q", flash)
	}
	visitor.open(page)
	if got := visitor.text("blockquote.statement"); got != "We design every service for children first." {
		t.Errorf("the public page shows the statement %q", got)
	}

	// A new name: proposed, waiting, the old name public meanwhile.
	contact.fill("Organisation name", "Ärzte für Kinder e.V.")
	contact.press("Propose the change")
	if got := contact.text(".proposal-waiting"); !strings.Contains(got, "Ärzte für Kinder e.V.") {
		t.Errorf("the manage page shows the proposal as %q", got)
	}
	contact.checkPage("manage-proposal-waiting")
	visitor.open(page)
	if h1 := visitor.text("h1"); h1 != anna.name {
		t.Errorf("before review the public page is titled %q", h1)
	}

	// The reviewer approves it from the queue, where the change is marked.
	admin := newTab(t, srv.URL, false)
	admin.visit("/admin")
	admin.fill("Email address", "reviewer@charter.test")
	admin.fill("Password", "a long enough passphrase")
	admin.press("Sign in")
	if got := admin.text("article.proposal ins"); !strings.Contains(got, "Ärzte für Kinder e.V.") {
		t.Errorf("the queue shows the proposal as %q", got)
	}
	admin.checkPage("admin-queue-proposal")
	admin.press("Approve and publish")
	if flash := admin.text(".flash"); !strings.Contains(flash, "now shows the change") {
		t.Errorf("after approving: %q", flash)
	}
	srv.mailTo(t, anna.email, 4) // the decision
	visitor.open(page)
	if h1 := visitor.text("h1"); h1 != "Ärzte für Kinder e.V." {
		t.Errorf("after approval the public page is titled %q", h1)
	}
	if got := visitor.text(".former-names"); !strings.Contains(got, "Formerly "+anna.name) {
		t.Errorf("the former name reads %q", got)
	}
	visitor.checkPage("signatory-renamed")

	// The hand-over: the new contact confirms from their own mail.
	const newEmail = "jonas@aerzte-kinder-netz.de"
	contact.open(link)
	contact.fill("Their full name", "Jonas Berg")
	contact.fill("Their role in the organisation", "Director")
	contact.fill("Their email address", newEmail)
	contact.press("Hand over")
	if got := contact.text(".handover-waiting"); !strings.Contains(got, newEmail) {
		t.Errorf("after handing over the page says %q", got)
	}
	successor := newTab(t, srv.URL, false)
	successor.open(srv.linkMailedTo(t, newEmail, 1, "/handover/"))
	successor.checkPage("handover")
	successor.press("Confirm")
	if h1 := successor.text("h1"); h1 != "You are now the contact person" {
		t.Fatalf("after confirming: %q", h1)
	}
	successor.checkPage("handed-over")
	if m := srv.mailTo(t, anna.email, 5); !strings.Contains(m.Subject, "no longer the contact") {
		t.Errorf("the old contact was mailed %q", m.Subject)
	}

	// The old contact's link no longer works; the new contact's does.
	contact.open(link)
	if h1 := contact.text("h1"); h1 != "This link has already been used" {
		t.Errorf("the old contact's link opens %q", h1)
	}
	successor.askForManageLink(srv, newEmail, 2)
	if h1 := successor.text("h1"); h1 != "Manage your signature" {
		t.Errorf("the new contact's link opens %q", h1)
	}
}
