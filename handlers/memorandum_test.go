package handlers_test

import (
	"context"
	"image"
	"image/color"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"charter/assets"
	"charter/mail/mailtest"
	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// rasterise draws an SVG made of rects (as the memorandum's QR code is) into an image, scale
// pixels to a unit, white where no rect is filled: what a printer would print. Any other element,
// or a rect with a fill other than the white background, fails the test.
func rasterise(t *testing.T, svg *goquery.Selection, scale int) image.Image {
	t.Helper()
	box := strings.Fields(svg.AttrOr("viewbox", svg.AttrOr("viewBox", "")))
	if len(box) != 4 || box[0] != "0" || box[1] != "0" || box[2] != box[3] {
		t.Fatalf("viewBox %q: want a square from 0 0", box)
	}
	size, _ := strconv.Atoi(box[2])
	img := image.NewGray(image.Rect(0, 0, size*scale, size*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	num := func(s *goquery.Selection, attr string) int {
		v, err := strconv.Atoi(s.AttrOr(attr, "0"))
		if err != nil {
			t.Fatalf("rect %s=%q", attr, s.AttrOr(attr, ""))
		}
		return v
	}
	svg.Children().Each(func(i int, r *goquery.Selection) {
		if goquery.NodeName(r) != "rect" {
			t.Fatalf("the QR code has a %s", goquery.NodeName(r))
		}
		if fill, ok := r.Attr("fill"); ok {
			if i != 0 || fill != "#fff" {
				t.Fatalf("rect %d is filled %s", i, fill)
			}
			return // the white background
		}
		x, y, w, h := num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height")
		for py := y * scale; py < (y+h)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	})
	return img
}

// decodeQR reads the QR code of an image.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the code alone, as drawn: read it as such. Searching for its finder patterns
	// instead misjudges about one code in 400 that zbarimg and phones read.
	hints := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("the QR code does not decode: %v", err)
	}
	return res.GetText()
}

func TestMemorandumOfAnApprovedSignatory(t *testing.T) {
	a := newApp(t)
	approved := time.Date(2026, time.March, 5, 9, 30, 0, 0, time.UTC)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.Category, s.Country = "МБОУ «Школа № 57»", models.CategoryEducation, "RU"
		s.CharterVersion, s.ApprovedAt = "0123456789ab", &approved
	})
	for _, l := range views.Languages {
		prefix := strings.TrimSuffix(views.HrefIn(l, "/"), "/")
		target := prefix + "/signatories/" + sig.Slug + "/memorandum"
		rec := a.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", target, rec.Code)
		}
		if c := rec.Result().Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s sets a cookie: %v", target, c)
		}
		d := doc(t, rec)
		if lang := d.Find("html").AttrOr("lang", ""); lang != string(l) {
			t.Errorf("%s: lang %q", target, lang)
		}
		if h1 := text(d.Find("article.memorandum h1")); !strings.HasPrefix(h1, views.Tr(l, "memorandum.title")) {
			t.Errorf("%s: h1 %q", target, h1)
		}
		details := map[string]string{}
		d.Find(".memo-details div").Each(func(_ int, s *goquery.Selection) { details[text(s.Find("dt"))] = text(s.Find("dd")) })
		for label, want := range map[string]string{
			views.Tr(l, "memorandum.organisation"): sig.Name,
			views.Tr(l, "list.country"):            views.CountryNameIn(l, "RU"),
			views.Tr(l, "list.category"):           views.CategoryNameIn(l, models.CategoryEducation),
			views.Tr(l, "memorandum.approved"):     views.FormatDateIn(l, approved),
			views.Tr(l, "memorandum.version"):      "01234567",
		} {
			if want = strings.Join(strings.Fields(want), " "); details[label] != want {
				t.Errorf("%s: %s = %q, want %q (all: %v)", target, label, details[label], want, details)
			}
		}
		if got := text(d.Find(".memo-text strong")); got != sig.Name {
			t.Errorf("%s: the text names %q", target, got)
		}
		if n := d.Find(".memo-principles li").Length(); n != 5 {
			t.Errorf("%s: %d principles", target, n)
		}
		if n := d.Find(".memo-sign .memo-fill").Length(); n != 4 {
			t.Errorf("%s: %d lines to fill in, want name, position, signature, date", target, n)
		}

		page := "http://charter.test" + prefix + "/signatories/" + sig.Slug
		svg := d.Find("svg.qr")
		if svg.Length() != 1 {
			t.Fatalf("%s: %d QR codes", target, svg.Length())
		}
		if got := decodeQR(t, rasterise(t, svg, 4)); got != page {
			t.Errorf("%s: the QR code reads %q, want %q", target, got, page)
		}
		if name := svg.AttrOr("aria-label", ""); !strings.Contains(name, sig.Name) || svg.AttrOr("role", "") != "img" {
			t.Errorf("%s: the QR code's accessible name is %q", target, name)
		}
		if href := d.Find("a.memo-url").AttrOr("href", ""); href != page {
			t.Errorf("%s: the printed address is %q", target, href)
		}

		// Laid out by its own stylesheet; nothing inline, which the CSP would block.
		if d.Find(`link[rel="stylesheet"][href="`+assets.Path("memorandum.css")+`"]`).Length() != 1 {
			t.Errorf("%s: no link to memorandum.css", target)
		}
		if d.Find("[style], style, script").Length() != 0 {
			t.Errorf("%s: inline style or script", target)
		}

		// A public page: cached, and 304 for a client that has it.
		tag := rec.Header().Get("ETag")
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("If-None-Match", tag)
		if tag == "" || a.serve(req).Code != http.StatusNotModified {
			t.Errorf("%s: ETag %q does not give 304", target, tag)
		}
	}
}

func TestMemorandumOfASignatoryThatLeft(t *testing.T) {
	a := newApp(t)
	for _, st := range []models.Status{models.StatusWithdrawn, models.StatusRevoked} {
		sig := dbtest.AddSignatory(t, a.store, st, nil)
		for _, l := range views.Languages {
			target := strings.TrimSuffix(views.HrefIn(l, "/"), "/") + "/signatories/" + sig.Slug + "/memorandum"
			rec := a.get(target)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s (%s) = %d", target, st, rec.Code)
			}
			d := doc(t, rec)
			notice := text(d.Find(".ended-notice"))
			want := map[views.Lang]string{views.English: "no longer a signatory", views.Russian: "больше не является подписантом"}[l]
			if !strings.Contains(notice, want) {
				t.Errorf("%s (%s): notice %q", target, st, notice)
			}
			if d.Find(".memorandum, svg.qr, .memo-sign").Length() != 0 {
				t.Errorf("%s (%s): still shows the memorandum", target, st)
			}
		}
	}
}

func TestMemorandumOfOthersIsNotFound(t *testing.T) {
	a := newApp(t)
	var slugs []string
	for _, st := range []models.Status{models.StatusSubmitted, models.StatusPending, models.StatusRejected, models.StatusCancelled} {
		slugs = append(slugs, dbtest.AddSignatory(t, a.store, st, nil).Slug)
	}
	slugs = append(slugs, "no-such-organisation", strings.Repeat("x", 300))
	for _, slug := range slugs {
		for _, prefix := range []string{"", "/ru"} {
			target := prefix + "/signatories/" + slug + "/memorandum"
			if rec := a.get(target); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", target, rec.Code)
			}
		}
	}
}

// The contact's manage page links to the memorandum, in the page's language, once the signature
// is approved.
func TestManagePageLinksToTheMemorandum(t *testing.T) {
	for _, st := range []models.Status{models.StatusApproved, models.StatusPending} {
		a := newApp(t)
		smtp := mailtest.Start(t)
		a.startMailer(smtp.URL())
		sig := dbtest.AddSignatory(t, a.store, st, func(s *models.Signatory) { s.ContactEmail = "head@school57.example.ru" })
		if rec := a.sendForm("/manage", "/manage", url.Values{"email": {sig.ContactEmail}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST /manage = %d", rec.Code)
		}
		link := pathOf(t, smtp.Wait(t, 1, 10*time.Second)[0].Link("/manage/"))
		for _, prefix := range []string{"", "/ru"} {
			want := prefix + "/signatories/" + sig.Slug + "/memorandum"
			n := doc(t, a.get(prefix+link)).Find(`a[href="` + want + `"]`).Length()
			if st == models.StatusApproved && n != 1 {
				t.Errorf("the manage page %s does not link to %s", prefix+link, want)
			}
			if st != models.StatusApproved && n != 0 {
				t.Errorf("the manage page of a %s application links to its memorandum", st)
			}
		}
	}
}

// The memorandum names the version joined by its label, and the approval's entry in the public
// log, where anyone can read it.
func TestMemorandumNamesItsVersionAndLogEntry(t *testing.T) {
	a := newApp(t)
	first := versionedApp(t, a)
	var sig *models.Signatory
	for range 2 {
		sig = dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.CharterVersion = first.Version })
		if _, err := a.store.ApproveSignatory(context.Background(), models.Decision{SignatoryID: sig.ID, AdminID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	for l, want := range map[views.Lang]string{
		views.English: "No. 1, http://charter.test/log/entries?start=1&end=2",
		views.Russian: "№ 1, http://charter.test/log/entries?start=1&end=2",
	} {
		target := strings.TrimSuffix(views.HrefIn(l, "/"), "/") + "/signatories/" + sig.Slug + "/memorandum"
		details := map[string]string{}
		doc(t, a.get(target)).Find(".memo-details div").Each(func(_ int, s *goquery.Selection) {
			details[text(s.Find("dt"))] = strings.ReplaceAll(text(s.Find("dd")), "\u00a0", " ")
		})
		if got := details[views.Tr(l, "memorandum.version")]; got != "1" {
			t.Errorf("%s: version %q, want its label 1", target, got)
		}
		if got := details[views.Tr(l, "memorandum.log_entry")]; got != want {
			t.Errorf("%s: log entry %q, want %q", target, got, want)
		}
	}
	// The entry it names is the approval of this signatory.
	body := a.get("/log/entries?start=1&end=2").Body.String()
	if !strings.Contains(body, sig.Slug) || !strings.Contains(body, "approve") {
		t.Errorf("entry 1 of the log: %q", body)
	}
}
