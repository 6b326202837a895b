package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// listed returns the organisation names in the list page, in order.
func listed(t *testing.T, a *app, target string) []string {
	t.Helper()
	rec := a.get(target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d", target, rec.Code)
	}
	var names []string
	doc(t, rec).Find("table.signatories tbody tr td:first-child a").Each(func(_ int, s *goquery.Selection) {
		names = append(names, text(s))
	})
	return names
}

func named(name string) func(*models.Signatory) {
	return func(s *models.Signatory) { s.Name = name }
}

func TestDirectoryShowsApprovedSignatoriesOnly(t *testing.T) {
	a := newApp(t)
	dbtest.AddSignatory(t, a.store, models.StatusApproved, named("Shown Foundation"))
	for _, st := range []models.Status{models.StatusSubmitted, models.StatusPending, models.StatusRejected,
		models.StatusWithdrawn, models.StatusRevoked, models.StatusCancelled} {
		dbtest.AddSignatory(t, a.store, st, named("Hidden "+string(st)))
	}
	rec := a.get("/signatories")
	d := doc(t, rec)
	if got := listed(t, a, "/signatories"); len(got) != 1 || got[0] != "Shown Foundation" {
		t.Errorf("listed %q, want only the approved one", got)
	}
	if h := text(d.Find("h2.result-count")); h != "1 organisation has signed" {
		t.Errorf("count heading %q", h)
	}
	if cur := text(d.Find(`nav a[aria-current="page"]`)); cur != "Signatories" {
		t.Errorf("current nav item %q", cur)
	}
	row := d.Find("table.signatories tbody tr").First()
	if cells := text(row.Find("td").Eq(1)) + " | " + text(row.Find("td").Eq(2)); cells != "Civil society | France" {
		t.Errorf("category and country shown as %q", cells)
	}
}

func TestDirectoryFiltersAndCategoryCounts(t *testing.T) {
	a := newApp(t)
	add := func(name string, c models.Category, country string) {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
			s.Name, s.Category, s.Country = name, c, country
		})
	}
	add("Alpha Ministry", models.CategoryGovernment, "FR")
	add("Beta Company", models.CategoryBusiness, "FR")
	add("Gamma Company", models.CategoryBusiness, "DE")
	add("Delta University", models.CategoryAcademia, "DE")

	cases := []struct {
		target string
		want   string
	}{
		{"/signatories?category=business", "Beta Company,Gamma Company"},
		{"/signatories?country=DE", "Delta University,Gamma Company"},
		{"/signatories?country=de", "Delta University,Gamma Company"}, // normalised
		{"/signatories?category=business&country=DE", "Gamma Company"},
		{"/signatories?category=government&country=DE", ""},
		{"/signatories?sort=name", "Alpha Ministry,Beta Company,Delta University,Gamma Company"},
		{"/signatories?unknown=1&sort=name", "Alpha Ministry,Beta Company,Delta University,Gamma Company"},
	}
	for _, c := range cases {
		got := listed(t, a, c.target)
		sortNames := strings.Contains(c.target, "sort=name")
		if !sortNames {
			got = sorted(got)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("GET %s: listed %q, want %q", c.target, got, c.want)
		}
	}

	// Category links keep the other filters and show how many each would give.
	d := doc(t, a.get("/signatories?country=DE"))
	link := d.Find(`nav.category-links a:contains("Business")`)
	href, _ := link.Attr("href")
	if href != "/signatories?category=business&country=DE" {
		t.Errorf("business link %q", href)
	}
	if n := text(link.Find(".count")); n != "1" {
		t.Errorf("business count in DE = %q, want 1", n)
	}
	if h := text(d.Find("h2.result-count")); h != "2 signatories match" {
		t.Errorf("count heading %q", h)
	}
	// The country filter offers only countries with signatories, by name.
	var countries []string
	d.Find(`select#country option`).Each(func(_ int, s *goquery.Selection) { countries = append(countries, text(s)) })
	if strings.Join(countries, ",") != "All countries,France,Germany" {
		t.Errorf("country options %q", countries)
	}
	if v, _ := d.Find(`select#country option[selected]`).Attr("value"); v != "DE" {
		t.Errorf("selected country %q", v)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestDirectorySearch(t *testing.T) {
	a := newApp(t)
	for _, n := range []string{`Фонд «Дети онлайн»`, "École Supérieure de Paris", "Ärzte ohne Grenzen",
		`O'Reilly "Media" 100%`, "北京儿童保护协会", "Παιδική Προστασία", "Kids_Safe Ltd"} {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, named(n))
	}
	cases := []struct{ q, want string }{
		{"фонд", `Фонд «Дети онлайн»`},
		{"ДЕТИ", `Фонд «Дети онлайн»`},
		{"онлайн", `Фонд «Дети онлайн»`}, // й folds like the index
		{"дет онл", `Фонд «Дети онлайн»`},
		{"«Дети»", `Фонд «Дети онлайн»`},
		{"ecole", "École Supérieure de Paris"},
		{"ÉCOLE sup", "École Supérieure de Paris"},
		{"sup paris", "École Supérieure de Paris"},
		{"ARZTE", "Ärzte ohne Grenzen"},
		{"ärzte", "Ärzte ohne Grenzen"},
		{"paris ärzte", ""}, // every word must match
		{"reilly", `O'Reilly "Media" 100%`},
		{`"media"`, `O'Reilly "Media" 100%`},
		{"o'reilly", `O'Reilly "Media" 100%`},
		{"100", `O'Reilly "Media" 100%`},
		{"北京", "北京儿童保护协会"},
		{"παιδικη", "Παιδική Προστασία"},
		{"kids", "Kids_Safe Ltd"},
		{"hulk", ""},
		{"%", ""}, // only punctuation: no search, the whole list
		{"' OR 1=1 --", ""},
		{"ä%", "Ärzte ohne Grenzen"}, // % is a separator, not a wildcard
		{"_", ""},
		{`\`, ""},
		{"ohne; DROP TABLE signatories", ""},
	}
	for _, c := range cases {
		got := listed(t, a, "/signatories?q="+url.QueryEscape(c.q))
		want := []string{}
		if c.want != "" {
			want = []string{c.want}
		}
		if c.q == "%" || c.q == "_" || c.q == `\` {
			if len(got) != 7 {
				t.Errorf("q=%q (no words) listed %d, want all 7", c.q, len(got))
			}
			continue
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("q=%q: listed %q, want %q", c.q, got, want)
		}
	}
	// Tables survive the injection attempt.
	if n := len(listed(t, a, "/signatories")); n != 7 {
		t.Errorf("after the searches the list holds %d", n)
	}
}

func TestDirectorySearchKeepsTheQueryAndHelpsWhenEmpty(t *testing.T) {
	a := newApp(t)
	dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Name, s.Country = "Some Trust", "DE" })
	d := doc(t, a.get("/signatories?q=%3Cb%3Enothing%3C/b%3E&country=DE"))
	if v, _ := d.Find("input#q").Attr("value"); v != "<b>nothing</b>" {
		t.Errorf("search box holds %q", v)
	}
	if d.Find("label[for=q]").Length() != 1 {
		t.Error("the search box needs a label")
	}
	empty := d.Find(".empty-state")
	if !strings.Contains(text(empty), "No signatory matches “<b>nothing</b>”") {
		t.Errorf("empty state: %q", text(empty))
	}
	if empty.Find("b").Length() != 0 {
		t.Error("the query must be escaped")
	}
	if href, _ := empty.Find(`a:contains("every category and country")`).Attr("href"); href != "/signatories?q=%3Cb%3Enothing%3C%2Fb%3E" {
		t.Errorf("widen link %q", href)
	}
	if d := doc(t, newApp(t).get("/signatories")); !strings.Contains(text(d.Find(".empty-state")), "No organisation has been approved yet") {
		t.Errorf("empty list: %q", text(d.Find(".empty-state")))
	}
}

func TestDirectoryPagination(t *testing.T) {
	a := newApp(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var last string
	for i := 0; i < 45; i++ {
		at := base.Add(time.Duration(i) * time.Hour)
		last = dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.ApprovedAt = &at }).Name
	}
	page := func(target string) (names []string, prev, next string) {
		d := doc(t, a.get(target))
		d.Find("table.signatories tbody tr td:first-child a").Each(func(_ int, s *goquery.Selection) { names = append(names, text(s)) })
		prev, _ = d.Find(`.pagination a[rel=prev]`).Attr("href")
		next, _ = d.Find(`.pagination a[rel=next]`).Attr("href")
		return
	}
	p1, prev, next := page("/signatories")
	if len(p1) != 20 || prev != "" || next != "/signatories?page=2" {
		t.Errorf("page 1: %d rows, prev %q, next %q", len(p1), prev, next)
	}
	p2, prev, next := page(next)
	if len(p2) != 20 || prev != "/signatories" || next != "/signatories?page=3" || p2[0] == p1[19] {
		t.Errorf("page 2: %d rows, prev %q, next %q", len(p2), prev, next)
	}
	p3, _, next := page(next)
	if len(p3) != 5 || next != "" {
		t.Errorf("page 3: %d rows, next %q", len(p3), next)
	}
	seen := map[string]bool{}
	for _, n := range append(append(p1, p2...), p3...) {
		if seen[n] {
			t.Errorf("%s on two pages", n)
		}
		seen[n] = true
	}
	d := doc(t, a.get("/signatories?page=4"))
	if !strings.Contains(text(d.Find(".empty-state")), "This search has no page 4") {
		t.Errorf("past the end: %q", text(d.Find(".empty-state")))
	}
	if p1[0] != last {
		t.Errorf("newest first: page 1 starts with %q, want %q", p1[0], last)
	}
}

func TestDirectoryInvalidParameters(t *testing.T) {
	a := newApp(t)
	dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	for _, target := range []string{
		"/signatories?page=0", "/signatories?page=-1", "/signatories?page=abc", "/signatories?page=501",
		"/signatories?page=99999999999999999999", "/signatories?sort=random", "/signatories?category=pirates",
		"/signatories?country=FRA", "/signatories?country=1",
	} {
		rec := a.get(target)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", target, rec.Code)
			continue
		}
		if msg := text(doc(t, rec).Find("p.lead")); msg == "" || strings.Contains(msg, "go back") {
			t.Errorf("GET %s: message %q", target, msg)
		}
	}
	for _, target := range []string{
		"/signatories?q=" + url.QueryEscape(strings.Repeat("долгий ", 200)), "/signatories?q=%FF%FE", "/signatories?page=500",
		"/signatories?q=a&q=b", "/signatories?page=+2+", "/signatories?sort=newest",
	} {
		if rec := a.get(target); rec.Code != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", target, rec.Code)
		}
	}
}

func TestSignatoryPage(t *testing.T) {
	a := newApp(t)
	approved := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.Website, s.Statement, s.Country = "Open Trust", "https://open.example.org/", "We <promise> things.", "DE"
	})
	d := doc(t, a.get("/signatories/"+approved.Slug))
	if h1 := text(d.Find("h1")); h1 != "Open Trust" {
		t.Errorf("h1 %q", h1)
	}
	site := d.Find("a.website")
	if href, _ := site.Attr("href"); href != "https://open.example.org/" {
		t.Errorf("website href %q", href)
	}
	if rel, _ := site.Attr("rel"); rel != "nofollow noopener" {
		t.Errorf("website rel %q", rel)
	}
	details := text(d.Find("dl.signatory-details"))
	for _, want := range []string{"Germany", "Civil society", "test", views.FormatDateIn(views.English, *approved.ApprovedAt)} {
		if !strings.Contains(details, want) {
			t.Errorf("details %q lack %q", details, want)
		}
	}
	if st := text(d.Find("blockquote.statement")); st != "We <promise> things." {
		t.Errorf("statement %q", st)
	}
	snippet := d.Find("textarea#badge-snippet")
	if d.Find("label[for=badge-snippet]").Length() != 1 || !strings.Contains(snippet.Text(), `<img src="http://charter.test/signatories/`+approved.Slug+`/badge.svg"`) {
		t.Errorf("embed snippet %q", snippet.Text())
	}
	if !strings.Contains(a.get("/signatories/"+approved.Slug).Body.String(), "&lt;img src=") {
		t.Error("the snippet must be escaped in the page")
	}

	withdrawnAt := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	withdrawn := dbtest.AddSignatory(t, a.store, models.StatusWithdrawn, func(s *models.Signatory) {
		s.Name, s.WithdrawnAt, s.Website = "Gone Ltd", &withdrawnAt, "https://gone.example.org/"
	})
	d = doc(t, a.get("/signatories/"+withdrawn.Slug))
	if n := text(d.Find(".ended-notice")); n != "This organisation withdrew its signature on 2 March 2025. It is no longer a signatory of the charter." {
		t.Errorf("withdrawn notice %q", n)
	}
	if d.Find("a.website").Length() != 0 || d.Find("#badge-snippet").Length() != 0 {
		t.Error("a withdrawn signatory's details and badge snippet must not be shown")
	}
	revoked := dbtest.AddSignatory(t, a.store, models.StatusRevoked, nil)
	if n := text(doc(t, a.get("/signatories/"+revoked.Slug)).Find(".ended-notice")); !strings.Contains(n, "revoked on") {
		t.Errorf("revoked notice %q", n)
	}

	for _, st := range []models.Status{models.StatusSubmitted, models.StatusPending, models.StatusRejected, models.StatusCancelled} {
		s := dbtest.AddSignatory(t, a.store, st, nil)
		if rec := a.get("/signatories/" + s.Slug); rec.Code != http.StatusNotFound || rec.Header().Get("ETag") != "" {
			t.Errorf("%s signatory page = %d (ETag %q), want 404 without an ETag", st, rec.Code, rec.Header().Get("ETag"))
		}
		if rec := a.get("/signatories/" + s.Slug + "/badge.svg"); rec.Code != http.StatusNotFound {
			t.Errorf("%s badge = %d, want 404", st, rec.Code)
		}
	}
	for _, slug := range []string{"no-such-org", strings.Repeat("x", 300), "%27%20OR%201%3D1"} {
		if rec := a.get("/signatories/" + slug); rec.Code != http.StatusNotFound {
			t.Errorf("GET /signatories/%s = %d, want 404", slug, rec.Code)
		}
	}
}

// Benchmarks of the list page through the whole router at a seeded size, with the page cache
// (a repeat view) and without it (each view a new search):
// go test ./handlers -bench Directory -run '^$'
func BenchmarkDirectoryPage(b *testing.B) {
	store := dbtest.New(b, nil)
	if err := store.Seed(context.Background(), 20000, models.SeedOptions{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	h := &handlers.Handler{Store: store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://charter.test"}
	router := h.Router()
	get := func(b *testing.B, target string) {
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", target, rec.Code)
		}
	}
	for _, target := range []string{"/signatories", "/signatories?category=business&country=FR", "/signatories?q=fond",
		"/signatories?q=" + url.QueryEscape("фонд дет"), "/signatories?page=500"} {
		b.Run("cached "+target, func(b *testing.B) {
			for b.Loop() {
				get(b, target)
			}
		})
	}
	i := 0
	for _, target := range []string{"/signatories?sort=name", "/signatories?q=fond&x=", "/signatories?country=FR&sort=name", "/signatories?q=" + url.QueryEscape("фонд дет")} {
		b.Run("uncached "+target, func(b *testing.B) {
			for b.Loop() {
				i++
				get(b, target+"&page="+strconv.Itoa(1+i%400)) // a new page each time: never in the cache
			}
		})
	}
}

// Whatever the parameters, the list answers 200 or 400, never a 500.
// go test ./handlers -fuzz FuzzDirectoryParameters -run '^$' explores beyond the seeds.
func FuzzDirectoryParameters(f *testing.F) {
	f.Add("фонд дет", "business", "FR", "name", "2")
	f.Add(`"'%_\*`, "", "", "", "")
	f.Add("a* OR b NEAR c -d", "pirates", "fr", "newest", "0")
	f.Add("\x00\xff", "civil_society", "ZZ", "x", "501")
	f.Add("北京", "", "1", "", "99999999999999999999")
	f.Fuzz(func(t *testing.T, q, category, country, sortBy, page string) {
		a := fuzzApp(t)
		v := url.Values{"q": {q}, "category": {category}, "country": {country}, "sort": {sortBy}, "page": {page}}
		rec := a.get("/signatories?" + v.Encode())
		if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
			t.Fatalf("GET /signatories?%s = %d", v.Encode(), rec.Code)
		}
	})
}

// fuzzApp is an app with a few signatories, made for each fuzz input.
func fuzzApp(t *testing.T) *app {
	a := newApp(t)
	for _, n := range []string{"Фонд «Дети онлайн»", "École Supérieure", "北京儿童保护协会"} {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, named(n))
	}
	return a
}

// The list's country filter and the sign-up form order countries the same way: by name, without
// regard to accents, so Côte d’Ivoire comes between Canada and Cuba.
func TestCountryFilterOrderMatchesTheSignUpForm(t *testing.T) {
	a := newApp(t)
	for _, code := range []string{"CU", "CI", "AT", "CA"} {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Country = code })
	}
	var codes []string
	doc(t, a.get("/signatories")).Find("select#country option[value!='']").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		codes = append(codes, v)
	})
	if got, want := strings.Join(codes, " "), "AT CA CI CU"; got != want {
		t.Errorf("country filter order %q, want %q", got, want)
	}
	var form []string
	for _, c := range views.CountryOptionsIn(views.English) {
		if c.Code == "AT" || c.Code == "CA" || c.Code == "CI" || c.Code == "CU" {
			form = append(form, c.Code)
		}
	}
	if strings.Join(form, " ") != strings.Join(codes, " ") {
		t.Errorf("sign-up form order %q differs from the list's %q", form, codes)
	}
}
