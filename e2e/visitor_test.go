package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A visitor reads the charter and finds the way to sign it.
func TestVisitorReadsTheCharter(t *testing.T) {
	for _, noScript := range []bool{false, true} {
		srv := startServer(t)
		p := newTab(t, srv.URL, noScript)
		p.visit("/")
		if h1 := p.text("h1"); h1 != "Digital Ethics of Childhood Charter" {
			t.Fatalf("h1 = %q", h1)
		}
		if n := p.count("article h3"); n != 5 {
			t.Errorf("the charter shows %d principles, want 5", n)
		}
		if v := p.text(".version"); len(v) != 12 {
			t.Errorf("charter version %q", v)
		}
		p.checkPage("home")

		p.visit("/no-such-page")
		if h1 := p.text("h1"); !strings.Contains(h1, "not found") {
			t.Errorf("404 page h1 = %q", h1)
		}
		p.checkPage("not-found")
	}
}

// The accessibility check must be able to fail: a page spoiled on purpose is caught.
func TestAccessibilityCheckCatchesViolations(t *testing.T) {
	srv := startServer(t)
	p := newTab(t, srv.URL, false)
	p.visit("/")
	p.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('main').insertAdjacentHTML('beforeend',
		'<img src="/nothing.png"><p><font color="#dddddd">faint text</font></p><input type="text">')`))
	found := map[string]bool{}
	for _, v := range p.axeViolations("spoiled") {
		found[v.ID] = true
	}
	for _, id := range []string{"image-alt", "color-contrast", "label"} {
		if !found[id] {
			t.Errorf("axe did not report %s; it reported %v", id, found)
		}
	}
}
