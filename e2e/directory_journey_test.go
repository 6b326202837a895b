package e2e

import (
	"strings"

	"github.com/chromedp/chromedp"

	"charter/models"
	"charter/models/dbtest"
)

// addOthers puts a few other approved organisations on the list, so that searching and
// filtering have something to tell apart.
func (s *server) addOthers(p *tab) {
	for _, o := range []struct {
		name, country string
		cat           models.Category
	}{
		{"Фонд «Дети онлайн»", "RU", models.CategoryCivilSociety},
		{"Ministère de l'Éducation nationale", "FR", models.CategoryGovernment},
		{"Kinderschutz Bund Berlin", "DE", models.CategoryCivilSociety},
		{"Nordic Games AB", "SE", models.CategoryBusiness},
	} {
		dbtest.AddSignatory(p.t, s.Store, models.StatusApproved, func(sig *models.Signatory) {
			sig.Name, sig.Country, sig.Category = o.name, o.country, o.cat
		})
	}
}

// listed is the names in the list's table on the current page.
func (p *tab) listed() string {
	p.t.Helper()
	if p.count("table.signatories") == 0 {
		return ""
	}
	return p.text("table.signatories tbody")
}

// findOnPublicList is the visitor opening the signatories, searching, filtering, and reaching the
// organisation's page and its badge.
func (p *tab) findOnPublicList(srv *server, o org) {
	p.t.Helper()
	p.visit("/")
	p.follow("Signatories")
	p.checkPage("signatories")
	if all := p.listed(); !strings.Contains(all, o.name) || !strings.Contains(all, "Nordic Games AB") {
		p.t.Errorf("the public list shows %q", all)
	}

	// Search by the beginnings of two words, without the accent.
	p.fill("Organisation name", "arzte kind")
	p.press("Search")
	if got := p.listed(); !strings.Contains(got, o.name) || strings.Contains(got, "Kinderschutz") {
		p.t.Errorf("searching %q lists %q", "arzte kind", got)
	}
	p.checkPage("signatories-search")

	// Filter by category and country, with the search cleared.
	p.visit("/signatories")
	p.choose("Category", "Civil society")
	p.choose("Country", o.country)
	p.press("Search")
	got := p.listed()
	if !strings.Contains(got, o.name) || !strings.Contains(got, "Kinderschutz Bund Berlin") ||
		strings.Contains(got, "Nordic Games") || strings.Contains(got, "Дети") {
		p.t.Errorf("civil society in %s lists %q", o.country, got)
	}
	if !strings.Contains(p.path(), "category=civil_society") {
		p.t.Errorf("the filtered list's address %q cannot be shared", p.path())
	}
	p.checkPage("signatories-filter")

	p.follow(o.name)
	if h1 := p.text("h1"); h1 != o.name {
		p.t.Fatalf("the organisation's page has h1 %q", h1)
	}
	if main := p.text("main"); !strings.Contains(main, o.statement) {
		p.t.Errorf("the organisation's page does not show its commitment: %s", main)
	}
	if p.count(`img.badge[alt]`) != 1 {
		p.t.Error("the organisation's page shows no badge")
	}
	p.checkPage("signatory")
	p.visit(p.path() + "/badge.svg")
	if svg := p.svgText(); !strings.Contains(svg, "Signed") {
		p.t.Errorf("the badge says %q", svg)
	}
}

// checkWithdrawn is the visitor seeing that the organisation has withdrawn: gone from the list,
// its page a dated notice, its badge no longer claiming a signature.
func (p *tab) checkWithdrawn(o org, slug string) {
	p.t.Helper()
	p.visit("/signatories")
	if strings.Contains(p.listed(), o.name) {
		p.t.Errorf("the public list still shows %q after its withdrawal", o.name)
	}
	p.visit("/signatories/" + slug)
	if main := strings.ToLower(p.text("main")); !strings.Contains(main, "withdr") {
		p.t.Errorf("the page of a withdrawn signatory says: %s", main)
	}
	p.checkPage("signatory-withdrawn")
	p.visit("/signatories/" + slug + "/badge.svg")
	if svg := p.svgText(); strings.Contains(svg, "Signed the") {
		p.t.Errorf("the badge of a withdrawn signatory still says %q", svg)
	}
}

// svgText is the text of the SVG image shown as the page (innerText does not apply to SVG).
func (p *tab) svgText() string {
	p.t.Helper()
	return strings.Join(strings.Fields(run(p, chromedp.TextContent(chromedp.CSS("svg")))), " ")
}
