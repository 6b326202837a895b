package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"charter/models"
	"charter/models/dbtest"
)

// pdfPage is a page object of a PDF (not the /Pages tree above them).
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b[^s]`)

// printedPages prints the current page to PDF as a person choosing "Print" would (A4, the
// page's own @page size and margins) and returns the number of pages and the PDF.
func (p *tab) printedPages() (int, []byte) {
	p.t.Helper()
	yes := true
	var pdf []byte
	p.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{
			PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &yes,
		})
		pdf = res.Data
		return err
	}))
	return len(pdfPage.FindAll(pdf, -1)), pdf
}

// The memorandum of accession of a school with a long official name: no accessibility violation
// at either width in either language, no sideways scrolling on a phone, and one A4 page in print.
func TestMemorandumPrintsOnOnePage(t *testing.T) {
	srv := startServer(t)
	sig := dbtest.AddSignatory(t, srv.Store, models.StatusApproved, func(s *models.Signatory) {
		s.Name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 57 с углублённым изучением отдельных предметов»"
		s.Category, s.Country, s.CharterVersion = models.CategoryEducation, "RU", "0123456789ab"
	})
	p := newTab(t, srv.URL, false)
	for _, prefix := range []string{"", "/ru"} {
		name := "memorandum" + prefix
		p.visit(prefix + "/signatories/" + sig.Slug + "/memorandum")
		if n := p.count("svg.qr"); n != 1 {
			t.Fatalf("%s: %d QR codes", name, n)
		}
		p.checkPage(name) // axe at 1280 px; no sideways scroll at 390 px
		p.do(chromedp.EmulateViewport(390, 900))
		p.checkAccessibility(name + "-390")
		p.do(chromedp.EmulateViewport(1280, 900))
		n, pdf := p.printedPages()
		if n != 1 {
			t.Errorf("%s prints on %d pages (%d bytes of PDF), want 1", name, n, len(pdf))
		}
		if err := os.WriteFile(filepath.Join(outputDir, "memorandum"+strings.ReplaceAll(prefix, "/", "-")+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The page count can fail: the signatory list, which is longer than a page, prints on several.
func TestPrintedPagesCountsPages(t *testing.T) {
	srv := startServer(t)
	if err := srv.Store.Seed(context.Background(), 60, models.SeedOptions{CharterVersion: "v1"}); err != nil {
		t.Fatal(err)
	}
	p := newTab(t, srv.URL, false)
	p.visit("/signatories")
	if n, _ := p.printedPages(); n < 2 {
		t.Errorf("the list of 50 signatories prints on %d pages", n)
	}
}
