package handlers_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// worldMap returns the map's SVG as the page has it, after checking that it parses as XML.
func worldMap(t *testing.T, body string) *goquery.Selection {
	t.Helper()
	start := strings.Index(body, `<svg class="worldmap-svg"`)
	if start < 0 {
		t.Fatal("no map on the page")
	}
	end := strings.Index(body[start:], "</svg>") + start + len("</svg>")
	svg := body[start:end]
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("the map is not XML: %v", err)
			}
			break
		}
	}
	d, err := goquery.NewDocumentFromReader(strings.NewReader(svg))
	if err != nil {
		t.Fatal(err)
	}
	return d.Find("svg")
}

// The map shades every country with approved signatories and links it to the list of them, with
// its name and count in the page's language; countries without any are drawn but not linked;
// the map's titles, its table and the filtered list agree, on the home page and the list, in
// both languages.
func TestWorldMap(t *testing.T) {
	a := newApp(t)
	add := func(country string, n int, status models.Status) {
		for range n {
			dbtest.AddSignatory(t, a.store, status, func(s *models.Signatory) { s.Country = country })
		}
	}
	add("FR", 1, models.StatusApproved)
	add("DE", 12, models.StatusApproved)
	add("SG", 1, models.StatusApproved) // too small for a shape: a dot
	add("IT", 2, models.StatusWithdrawn)
	add("ES", 1, models.StatusPending)
	want := map[string]int64{"FR": 1, "DE": 12, "SG": 1}
	titles := map[string]map[string]string{
		"":    {"FR": "France: 1 signatory", "DE": "Germany: 12 signatories", "SG": "Singapore: 1 signatory"},
		"/ru": {"FR": "Франция: 1 подписант", "DE": "Германия: 12 подписантов", "SG": "Сингапур: 1 подписант"},
	}
	levels := map[string]string{"FR": "map-l1", "DE": "map-l3", "SG": "map-l1"}

	for _, prefix := range []string{"", "/ru"} {
		for _, page := range []string{prefix + "/", prefix + "/signatories"} {
			rec := a.get(page)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", page, rec.Code)
			}
			svg := worldMap(t, rec.Body.String())
			linked := map[string]bool{}
			svg.Find("a").Each(func(_ int, s *goquery.Selection) {
				code, _ := s.Attr("data-country")
				linked[code] = true
				if href, _ := s.Attr("href"); href != prefix+"/signatories?country="+code {
					t.Errorf("%s: %s links to %q", page, code, href)
				}
				if got := text(s.Find("title")); got != titles[prefix][code] {
					t.Errorf("%s: %s titled %q, want %q", page, code, got, titles[prefix][code])
				}
				if class, _ := s.Children().Last().Attr("class"); class != levels[code] {
					t.Errorf("%s: %s shaded %q, want %q", page, code, class, levels[code])
				}
			})
			if len(linked) != len(want) {
				t.Errorf("%s: linked countries %v, want %v", page, linked, want)
			}
			if n := svg.Find("path.map-l0").Length(); n < 150 {
				t.Errorf("%s: %d countries without signatories drawn", page, n)
			}
			rows := map[string]int64{}
			doc(t, rec).Find(".map-table tbody tr").Each(func(_ int, s *goquery.Selection) {
				code, _ := s.Attr("data-country")
				n, _ := strconv.ParseInt(strings.ReplaceAll(text(s.Find("td")), " ", ""), 10, 64)
				rows[code] = n
			})
			for code, n := range want {
				if rows[code] != n {
					t.Errorf("%s: the table says %s %d, want %d", page, code, rows[code], n)
				}
			}
			if len(rows) != len(want) {
				t.Errorf("%s: table %v", page, rows)
			}
		}
	}
	// The list filtered to a country counts what the map says.
	for code, n := range want {
		got := text(doc(t, a.get("/signatories?country="+code)).Find(".result-count"))
		if !strings.HasPrefix(got, strconv.FormatInt(n, 10)+" ") {
			t.Errorf("the list of %s says %q, the map %d", code, got, n)
		}
	}
	// A filtered list has no map; one with signatories nowhere has none either.
	if strings.Contains(a.get("/signatories?country=DE").Body.String(), "worldmap-svg") {
		t.Error("the filtered list shows the map")
	}
}

// The growth chart runs from the month of the first approval to this month, and its last point,
// in all and per category, is today's total.
func TestGrowthChartEndsWithTheTotal(t *testing.T) {
	a := newApp(t)
	now := a.clock.Now()
	for i, cat := range models.Categories {
		at := now.AddDate(0, -2*i, 0)
		dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Category, s.ApprovedAt = cat, &at })
	}
	gone := now.AddDate(-1, 0, 0)
	dbtest.AddSignatory(t, a.store, models.StatusWithdrawn, func(s *models.Signatory) { s.ApprovedAt = &gone })
	total := int64(len(models.Categories))
	for _, prefix := range []string{"", "/ru"} {
		d := doc(t, a.get(prefix+"/"))
		if got := d.Find("path.chart-total").AttrOr("data-last", ""); got != strconv.FormatInt(total, 10) {
			t.Errorf("%s: the chart ends at %q, want %d", prefix, got, total)
		}
		if n := d.Find("path.chart-line").Length(); n != 1+len(models.Categories) {
			t.Errorf("%s: %d lines", prefix, n)
		}
		rows := d.Find(".chart-table tbody tr")
		if want := 2*(len(models.Categories)-1) + 1; rows.Length() != want {
			t.Errorf("%s: %d months, want %d", prefix, rows.Length(), want)
		}
		last := rows.Last().Find("td").First()
		if text(last) != strconv.FormatInt(total, 10) {
			t.Errorf("%s: the table ends at %q", prefix, text(last))
		}
		if got := rows.Last().Find("time").AttrOr("datetime", ""); got != now.Format("2006-01") {
			t.Errorf("%s: the last month is %q", prefix, got)
		}
		if text(d.Find(".total")) != strconv.FormatInt(total, 10) {
			t.Errorf("%s: the figures say %q", prefix, text(d.Find(".total")))
		}
	}
}

// meta reads a page's link preview.
func meta(d *goquery.Document, name string) string {
	if v, ok := d.Find(`meta[property="` + name + `"]`).Attr("content"); ok {
		return v
	}
	return d.Find(`meta[name="`+name+`"]`).AttrOr("content", "")
}

// getPNG fetches a share card and checks it is a 1200×630 PNG.
func getPNG(t *testing.T, a *app, target string) []byte {
	t.Helper()
	rec := a.get(target)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("%s: %d %q", target, rec.Code, rec.Header().Get("Content-Type"))
	}
	if c := rec.Header().Get("Set-Cookie"); c != "" {
		t.Errorf("%s sets a cookie: %s", target, c)
	}
	img, err := png.Decode(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	if b := img.Bounds(); b.Dx() != views.CardWidth || b.Dy() != views.CardHeight {
		t.Errorf("%s: %v", target, b)
	}
	again := httptest304(a, target, rec.Header().Get("ETag"))
	if again != http.StatusNotModified {
		t.Errorf("%s again with its ETag: %d", target, again)
	}
	return rec.Body.Bytes()
}

func httptest304(a *app, target, etag string) int {
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec.Code
}

// Every public page has a link preview whose address is the page's canonical address and whose
// picture is a PNG card: the signatory's own, or the charter's when its name cannot be drawn.
func TestShareCards(t *testing.T) {
	a := newApp(t)
	latin := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Name = "Kinderschutzbund Österreich" })
	cjk := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Name = "日本こども財団" })
	gone := dbtest.AddSignatory(t, a.store, models.StatusWithdrawn, nil)
	base := a.h.BaseURL
	for _, prefix := range []string{"", "/ru"} {
		charter := getPNG(t, a, prefix+"/share/charter.png")
		for _, tc := range []struct{ get, canonical, image string }{
			{prefix + "/", prefix + "/", prefix + "/share/charter.png"},
			{prefix + "/signatories", prefix + "/signatories", prefix + "/share/charter.png"},
			{prefix + "/signatories?page=1&sort=newest&category=business", prefix + "/signatories?category=business", prefix + "/share/charter.png"},
			{prefix + views.SignatoryURL(latin.Slug), prefix + views.SignatoryURL(latin.Slug), prefix + views.SignatoryCardURL(latin.Slug)},
			{prefix + views.SignatoryURL(cjk.Slug), prefix + views.SignatoryURL(cjk.Slug), prefix + "/share/charter.png"},
			{prefix + views.SignatoryURL(gone.Slug), prefix + views.SignatoryURL(gone.Slug), prefix + "/share/charter.png"},
		} {
			rec := a.get(tc.get)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: %d", tc.get, rec.Code)
			}
			d := doc(t, rec)
			canonical := d.Find(`link[rel="canonical"]`).AttrOr("href", "")
			if canonical != base+tc.canonical || meta(d, "og:url") != canonical {
				t.Errorf("%s: canonical %q, og:url %q, want %q", tc.get, canonical, meta(d, "og:url"), base+tc.canonical)
			}
			if got := meta(d, "og:image"); got != base+tc.image || meta(d, "twitter:image") != got {
				t.Errorf("%s: og:image %q, want %q", tc.get, got, base+tc.image)
			}
			if meta(d, "twitter:card") != "summary_large_image" || meta(d, "og:title") == "" || meta(d, "og:description") == "" {
				t.Errorf("%s: twitter:card %q, og:title %q, og:description %q", tc.get, meta(d, "twitter:card"), meta(d, "og:title"), meta(d, "og:description"))
			}
			u, _ := url.Parse(meta(d, "og:image"))
			getPNG(t, a, u.Path)
		}
		own := getPNG(t, a, prefix+views.SignatoryCardURL(latin.Slug))
		if bytes.Equal(own, charter) {
			t.Errorf("%s: the signatory's card is the charter's", prefix)
		}
		// A name the fonts cannot draw gets the charter's card, even at its own card's address.
		if !bytes.Equal(getPNG(t, a, prefix+views.SignatoryCardURL(cjk.Slug)), charter) {
			t.Errorf("%s: the card of a name in Japanese is not the charter's", prefix)
		}
	}
	if en, ru := getPNG(t, a, "/share/charter.png"), getPNG(t, a, "/ru/share/charter.png"); bytes.Equal(en, ru) {
		t.Error("the charter's card is the same in both languages")
	}
	if rec := a.get("/signatories/no-such-slug/card.png"); rec.Code != http.StatusNotFound {
		t.Errorf("the card of nobody: %d", rec.Code)
	}

	// A change to the public state draws the cards again: the charter's counts the newcomer.
	before := a.get("/share/charter.png")
	a.clock.Add(time.Minute)
	dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	after := a.get("/share/charter.png")
	if before.Header().Get("ETag") == after.Header().Get("ETag") || bytes.Equal(before.Body.Bytes(), after.Body.Bytes()) {
		t.Error("the charter's card did not change with the number of signatories")
	}
}
