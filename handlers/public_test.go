package handlers_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
	"charter/models/dbtest"
)

func TestHomeShowsTheCharterAndCounts(t *testing.T) {
	a := newApp(t)
	rec := a.get("/")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d", rec.Code)
	}
	d := doc(t, rec)
	if h1 := text(d.Find("h1")); h1 != "Digital Ethics of Childhood Charter" {
		t.Errorf("h1 = %q", h1)
	}
	var principles []string
	d.Find("article h3").Each(func(_ int, s *goquery.Selection) { principles = append(principles, text(s)) })
	if len(principles) != 5 {
		t.Errorf("want the five principles as h3, got %q", principles)
	}
	if id, _ := d.Find("article h2").First().Attr("id"); id == "" {
		t.Error("charter headings need anchors")
	}
	if v := text(d.Find(".version")); v != a.h.Charter.Version {
		t.Errorf("version shown %q, want %q", v, a.h.Charter.Version)
	}
	if d.Find(`a.button[href="/sign"]`).Length() == 0 {
		t.Error("no prominent link to sign")
	}
	if total := text(d.Find(".total")); total != "0" {
		t.Errorf("total = %q, want 0", total)
	}
	rows := d.Find(".figures li")
	if rows.Length() != len(models.Categories) {
		t.Fatalf("want %d category rows, got %d", len(models.Categories), rows.Length())
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		if c := text(s.Find(".count")); c != "0" {
			t.Errorf("%s: count %q, want 0", text(s.Find("a")), c)
		}
	})
	// Layout: skip link to the main landmark, navigation with the current page marked.
	if href, _ := d.Find("a.skip-link").Attr("href"); href != "#main" || d.Find("main#main").Length() != 1 {
		t.Error("skip link must lead to main#main")
	}
	if cur := text(d.Find(`nav a[aria-current="page"]`)); cur != "Charter" {
		t.Errorf("current nav item %q, want Charter", cur)
	}
}

func TestHomeCountsApprovedSignatoriesOnly(t *testing.T) {
	a := newApp(t)
	business := func(s *models.Signatory) { s.Category = models.CategoryBusiness }
	for _, st := range []models.Status{models.StatusApproved, models.StatusApproved, models.StatusPending,
		models.StatusRejected, models.StatusWithdrawn, models.StatusRevoked} {
		dbtest.AddSignatory(t, a.store, st, business)
	}
	dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	d := doc(t, a.get("/"))
	if total := text(d.Find(".total")); total != "3" {
		t.Errorf("total = %q, want 3 (approved only)", total)
	}
	businessRow := d.Find(`.figures li:has(a[href="/signatories?category=business"]) .count`)
	if got := text(businessRow); got != "2" {
		t.Errorf("business count = %q, want 2", got)
	}
}

func TestHealthz(t *testing.T) {
	a := newApp(t)
	rec := a.get("/healthz")
	var body map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if rec.Code != http.StatusOK || body["status"] != "ok" || body["database"] != "ok" {
		t.Errorf("healthz = %d %v", rec.Code, body)
	}

	a.store.Close()
	rec = a.get("/healthz")
	body = nil
	json.Unmarshal(rec.Body.Bytes(), &body)
	if rec.Code != http.StatusServiceUnavailable || body["database"] != "unreachable" {
		t.Errorf("healthz with the database closed = %d %v", rec.Code, body)
	}
}

func TestNotFoundPage(t *testing.T) {
	a := newApp(t)
	for _, target := range []string{"/no-such-page", "/assets/style.css", "/assets/nope.0000000000.css"} {
		rec := a.get(target)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, rec.Code)
			continue
		}
		d := doc(t, rec)
		if h1 := text(d.Find("h1")); h1 != "Page not found" {
			t.Errorf("GET %s: h1 = %q", target, h1)
		}
		if d.Find("header nav").Length() == 0 {
			t.Errorf("GET %s: the error page must use the layout", target)
		}
	}
}

func TestInternalErrorShowsNoInternals(t *testing.T) {
	a := newApp(t)
	a.store.Close() // every query now fails
	rec := a.get("/")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("GET / with a closed database = %d, want 500", rec.Code)
	}
	d := doc(t, rec)
	if h1 := text(d.Find("h1")); h1 != "Sorry, something went wrong" {
		t.Errorf("h1 = %q", h1)
	}
	body := strings.ToLower(rec.Body.String())
	for _, leak := range []string{"sql", "database is closed", "goroutine", ".go:"} {
		if strings.Contains(body, leak) {
			t.Errorf("error page leaks %q", leak)
		}
	}
	if !strings.Contains(a.logs.String(), "database is closed") {
		t.Errorf("the cause must be logged; log:\n%s", a.logs.String())
	}
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	rec := a.get("/")
	h := rec.Header()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", h)
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Error("no HSTS over plain http")
	}
}

func TestAssetsAreHashedAndCachedForever(t *testing.T) {
	a := newApp(t)
	d := doc(t, a.get("/"))
	href, _ := d.Find(`link[rel="stylesheet"]`).Attr("href")
	if !strings.HasPrefix(href, "/assets/style.") || href == "/assets/style.css" {
		t.Fatalf("stylesheet href %q is not content-hashed", href)
	}
	rec := a.get(href)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", href, rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	if !strings.Contains(rec.Body.String(), ":focus-visible") {
		t.Error("the stylesheet has no visible focus style")
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	a := newApp(t)
	big := url.Values{"name": {strings.Repeat("x", 100<<10)}}
	rec := a.do(http.MethodPost, "/", big)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("POST of 100 KiB = %d, want 413", rec.Code)
	}
	if h1 := text(doc(t, rec).Find("h1")); h1 != "What you sent is too large" {
		t.Errorf("h1 = %q", h1)
	}
}

// HEAD answers as GET does, headers only: link checkers and monitors use it.
func TestHeadAnswersLikeGet(t *testing.T) {
	a := newApp(t)
	srv := httptest.NewServer(a.router)
	defer srv.Close()
	for target, want := range map[string]int{"/": 200, "/signatories": 200, "/signatories.csv": 200, "/healthz": 200, "/nope": 404} {
		req, _ := http.NewRequest(http.MethodHead, srv.URL+target, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || len(body) != 0 {
			t.Errorf("HEAD %s = %d with %d bytes, want %d and no body", target, resp.StatusCode, len(body), want)
		}
		if resp.Header.Get("Content-Type") == "" {
			t.Errorf("HEAD %s has no Content-Type", target)
		}
		// What goes over the wire: the headers and nothing after them (a client reading the
		// next response on that connection would take a body for garbage).
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "HEAD %s HTTP/1.1\r\nHost: charter.test\r\nConnection: close\r\n\r\n", target)
		raw, _ := io.ReadAll(conn)
		conn.Close()
		if _, after, _ := strings.Cut(string(raw), "\r\n\r\n"); after != "" {
			t.Errorf("HEAD %s sent %d bytes of body", target, len(after))
		}
	}
}

// The home page writes its figures as the list does (2,000, not 2000), agrees "1 organisation
// has signed", and has a description for search engines.
func TestHomeFormatsFiguresAndDescribesItself(t *testing.T) {
	a := newApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Category = models.CategoryBusiness })
	d := doc(t, a.get("/"))
	if got := text(d.Find(".intro-cta p").First()); got != "1 organisation has signed the charter." {
		t.Errorf("one signatory reads %q", got)
	}
	if desc, _ := d.Find(`meta[name="description"]`).Attr("content"); len(desc) < 50 {
		t.Errorf("meta description %q", desc)
	}

	// As many as a campaign brings: triggers keep the figures, so set one directly, and move the
	// public state on as the triggers would, so the cached figures are read again.
	err := a.store.DB.Exec("UPDATE approved_counts SET n = 2000 WHERE category = ? AND country = ?",
		sig.Category, sig.Country).Error
	if err == nil {
		err = a.store.DB.Exec("UPDATE public_state SET version = version + 1").Error
	}
	if err != nil {
		t.Fatal(err)
	}
	d = doc(t, a.get("/"))
	if total := text(d.Find(".total")); total != "2,000" {
		t.Errorf("total = %q, want 2,000", total)
	}
	if got := text(d.Find(`.figures li:has(a[href="/signatories?category=business"]) .count`)); got != "2,000" {
		t.Errorf("business count = %q, want 2,000", got)
	}
	if list := text(d.Find(".intro-cta strong")); list != "2,000" {
		t.Errorf("call to sign says %q", list)
	}
}
