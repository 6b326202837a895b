package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"charter/models"
	"charter/models/dbtest"
)

// The map and the growth chart pass axe-core on the home page and the list, with their tables
// open, at the wide and the narrow width in both languages, and scale down to 390 px without
// sideways scrolling.
func TestPicturesAreAccessible(t *testing.T) {
	srv := startServer(t)
	now := srv.clock.Now()
	countries := []string{"FR", "DE", "DE", "BR", "JP", "SG", "KE", "RU", "RU", "RU", "US"}
	for i, c := range countries {
		at := now.AddDate(0, -i, 0)
		dbtest.AddSignatory(t, srv.Store, models.StatusApproved, func(s *models.Signatory) {
			s.Country, s.ApprovedAt = c, &at
			s.Category = models.Categories[i%len(models.Categories)]
		})
	}
	p := newTab(t, srv.URL, false)
	for _, path := range []string{"/", "/signatories", "/ru/", "/ru/signatories"} {
		for _, w := range []int64{1280, 390} {
			name := fmt.Sprintf("%s at %d", path, w)
			p.do(chromedp.EmulateViewport(w, 900))
			p.visit(path)
			if p.count(".worldmap-svg a") != 8 {
				t.Errorf("%s: %d countries linked on the map", name, p.count(".worldmap-svg a"))
			}
			p.do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`))
			p.checkAccessibility(name)
			overflow := run(p, chromedp.Evaluate[int64](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			if overflow > 0 {
				t.Errorf("%s scrolls sideways by %dpx", name, overflow)
			}
		}
		p.screenshots("pictures " + path)
	}
}
