package e2e

import (
	"strings"
	"testing"
	"time"
)

// A person takes this long to fill in a form; the server's clock is moved on by it (the form
// guard refuses forms sent back faster than a person can type).
const personPause = 30 * time.Second

// org is the organisation that signs in the journeys.
type org struct {
	name, country, website, statement, contact, role, email string
}

var anna = org{
	name:      "Ärzte für Kinder im Netz",
	country:   "Germany",
	website:   "https://www.aerzte-kinder-netz.de",
	statement: "We commit to child-safe design in every service we run.",
	contact:   "Anna Schmidt",
	role:      "Head of policy",
	email:     "anna@aerzte-kinder-netz.de",
}

// signUp fills in and sends the sign-up form as o's contact, by the labels a person reads.
func (p *tab) signUp(srv *server, o org) {
	p.t.Helper()
	p.visit("/")
	p.follow("Sign the charter")
	if h1 := p.text("h1"); h1 != "Sign the charter" {
		p.t.Fatalf("the sign link led to %q", h1)
	}
	p.checkPage("sign-form")
	p.fill("Organisation name", o.name)
	p.check("Civil society")
	p.choose("Country", o.country)
	p.fill("Website", o.website)
	p.fill("Commitment statement", o.statement)
	p.fill("Full name", o.contact)
	p.fill("Role in the organisation", o.role)
	p.fill("Email address", o.email)
	p.check("I am authorised to sign")
	p.check("My organisation agrees to the charter")
	srv.clock.Add(personPause)
	p.press("Sign the charter")
	if h1 := p.text("h1"); h1 != "Check your email" {
		p.t.Fatalf("after sending the form: %q on %s", h1, p.path())
	}
	p.checkPage("sign-sent")
}

// confirmByEmail opens the link the contact was mailed and presses Confirm.
func (p *tab) confirmByEmail(srv *server, o org) {
	p.t.Helper()
	link := srv.linkMailedTo(p.t, o.email, 1, "/confirm/")
	p.open(link)
	if !strings.Contains(p.text("main"), o.name) {
		p.t.Errorf("the confirmation page does not name %q", o.name)
	}
	p.checkPage("confirm")
	p.press("Confirm")
	p.checkPage("confirmed")
}

// approveAsAdmin signs in to the console in a browser of its own and approves o.
func approveAsAdmin(t *testing.T, srv *server, noScript bool, o org) {
	t.Helper()
	srv.addAdmin(t, "reviewer@charter.test", "a long enough passphrase")
	admin := newTab(t, srv.URL, noScript)
	admin.visit("/admin")
	if h1 := admin.text("h1"); !strings.Contains(h1, "Sign in") {
		t.Fatalf("/admin without a session shows %q", h1)
	}
	admin.checkPage("admin-login")
	admin.fill("Email address", "reviewer@charter.test")
	admin.fill("Password", "a long enough passphrase")
	admin.press("Sign in")
	admin.checkPage("admin-queue")
	admin.follow(o.name)
	admin.checkPage("admin-signatory")
	admin.press("Approve")
	if main := admin.text("main"); !strings.Contains(main, "Approved") && !strings.Contains(main, "approved") {
		t.Errorf("after approving, the page says: %s", main)
	}
	admin.checkPage("admin-approved")
	admin.visit("/admin/audit")
	admin.checkPage("admin-audit")
}

// withdraw asks for a manage link and withdraws the signature with it.
func (p *tab) withdraw(srv *server, o org, mailNumber int) {
	p.t.Helper()
	p.visit("/manage")
	p.checkPage("manage")
	p.fill("Email address", o.email)
	srv.clock.Add(personPause)
	p.press("Email me a link")
	p.checkPage("manage-sent")
	p.open(srv.linkMailedTo(p.t, o.email, mailNumber, "/manage/"))
	p.checkPage("manage-link")
	p.press("Withdraw our signature")
	if h1 := p.text("h1"); h1 != "Your signature has been withdrawn" {
		p.t.Fatalf("after withdrawing: %q", h1)
	}
	p.checkPage("withdrawn")
}

// The whole life of a signature, for all three audiences, with JavaScript on and off.
func TestSignatureJourney(t *testing.T) {
	for _, noScript := range []bool{false, true} {
		name := "javascript"
		if noScript {
			name = "no-javascript"
		}
		t.Run(name, func(t *testing.T) {
			srv := startServer(t)
			contact := newTab(t, srv.URL, noScript)
			srv.addOthers(contact)
			contact.signUp(srv, anna)
			contact.confirmByEmail(srv, anna)
			approveAsAdmin(t, srv, noScript, anna)

			// The organisation's contact is told; the public now sees it.
			srv.linkMailedTo(t, anna.email, 2, "/signatories/")
			visitor := newTab(t, srv.URL, noScript)
			visitor.findOnPublicList(srv, anna)
			slug := strings.TrimPrefix(visitor.path(), "/signatories/")
			slug = strings.TrimSuffix(slug, "/badge.svg")

			contact.withdraw(srv, anna, 3)
			visitor.checkWithdrawn(anna, slug)
		})
	}
}

// An incomplete form shows what is wrong at the top and beside each field, keeps what was
// entered, and takes the focus to the summary so a screen reader announces it.
func TestIncompleteFormShowsItsErrors(t *testing.T) {
	srv := startServer(t)
	p := newTab(t, srv.URL, false)
	p.visit("/sign")
	p.fill("Organisation name", anna.name)
	p.fill("Website", "javascript:alert(1)")
	p.fill("Email address", "anna at example")
	srv.clock.Add(personPause)
	p.press("Sign the charter")

	if n := p.count(".error-summary"); n != 1 {
		t.Fatalf("no error summary (%d) on %s", n, p.path())
	}
	summary := p.text(".error-summary")
	for _, want := range []string{"country", "web address", "email"} {
		if !strings.Contains(strings.ToLower(summary), want) {
			t.Errorf("the summary does not mention the %s: %q", want, summary)
		}
	}
	if n := p.count(".field-error .error-message"); n < 5 {
		t.Errorf("only %d fields show their error", n)
	}
	if v := p.value("Organisation name"); v != anna.name {
		t.Errorf("the name was not kept: %q", v)
	}
	if v := p.value("Website"); v != "javascript:alert(1)" {
		t.Errorf("the website as typed was not kept: %q", v)
	}
	if f := p.focused(); !strings.Contains(f, "error-summary") {
		t.Errorf("focus is on %q, want the error summary", f)
	}
	p.checkPage("sign-errors")
}
