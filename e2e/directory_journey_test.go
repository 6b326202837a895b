package e2e

import "strings"

// findOnPublicList is the visitor finding an approved organisation on the public list.
func (p *tab) findOnPublicList(o org) {
	p.t.Helper()
	p.visit("/")
	p.follow("Signatories")
	p.checkPage("signatories")
	if !strings.Contains(p.text("main"), o.name) {
		p.t.Errorf("the public list does not show %q", o.name)
	}
}

// checkWithdrawn is the visitor seeing that the organisation has withdrawn.
func (p *tab) checkWithdrawn(o org) {
	p.t.Helper()
	p.visit("/signatories")
	if strings.Contains(p.text("main"), o.name) {
		p.t.Errorf("the public list still shows %q after its withdrawal", o.name)
	}
}
