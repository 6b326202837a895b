package e2e

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keys types into whatever has the focus, as a keyboard would.
func (p *tab) keys(keys string) {
	p.t.Helper()
	p.do(chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the element with the id has the focus.
func (p *tab) tabTo(id string) {
	p.t.Helper()
	for range 40 {
		if p.focused() == id {
			return
		}
		p.keys(kb.Tab)
	}
	p.t.Fatalf("Tab never reached #%s on %s (focus is on %q)", id, p.path(), p.focused())
}

// An organisation signs up with the keyboard alone: Tab between fields, arrows for the group,
// type-ahead for the country, Space for the declarations, Enter to send.
func TestSignUpWithTheKeyboardAlone(t *testing.T) {
	srv := startServer(t)
	p := newTab(t, srv.URL, false)
	p.visit("/sign")
	p.tabTo("name")
	p.keys(anna.name)
	p.keys(kb.Tab) // the first group
	if f := p.focused(); f != "category" {
		t.Fatalf("after the name, Tab went to %q, want the first group", f)
	}
	p.keys(" ")                         // choose it…
	p.keys(kb.ArrowDown + kb.ArrowDown) // …then move to the third, civil society
	p.keys(kb.Tab)
	if f := p.focused(); f != "country" {
		t.Fatalf("after the group, Tab went to %q, want the country", f)
	}
	p.keys("Germany")
	p.keys(kb.Tab)
	p.keys(anna.website)
	p.keys(kb.Tab)
	p.keys(anna.statement)
	p.keys(kb.Tab)
	p.keys(anna.contact)
	p.keys(kb.Tab)
	p.keys(anna.role)
	p.keys(kb.Tab)
	p.keys(anna.email)
	p.keys(kb.Tab)
	p.keys(" ")
	p.keys(kb.Tab)
	p.keys(" ")
	p.keys(kb.Tab)
	if f := p.focused(); f != "button.button" {
		t.Fatalf("the last Tab went to %q, want the Sign button", f)
	}
	srv.clock.Add(personPause)
	run(p, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter)))
	if h1 := p.text("h1"); h1 != "Check your email" {
		t.Fatalf("after Enter: %q on %s; %s", h1, p.path(), p.text("main"))
	}
	var status string
	srv.Store.DB.Raw("SELECT status || ' ' || category || ' ' || country FROM signatories WHERE contact_email = ?", anna.email).Scan(&status)
	if status != "submitted civil_society DE" {
		t.Errorf("stored: %q, want submitted civil_society DE", status)
	}
}
