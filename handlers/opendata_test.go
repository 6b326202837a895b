package handlers_test

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// conditional sends GET with If-None-Match.
func (a *app) conditional(target, etag string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

func addOpenDataRows(t *testing.T, a *app) (first, second *models.Signatory) {
	t.Helper()
	t1 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	t2 := time.Date(2025, 2, 3, 10, 0, 0, 0, time.UTC)
	first = dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.ApprovedAt, s.Statement = `Фонд «Дети, "онлайн"»`, &t1, "Line one,\nline \"two\"."
		s.Category, s.Country = models.CategoryGovernment, "RU"
	})
	second = dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.ApprovedAt, s.Statement = "Zed & Co", &t2, "=HYPERLINK(\"http://evil.example\")"
		s.VerifiedDomain, s.DomainVerifiedBy, s.DomainVerifiedAt = s.WebsiteDomain, models.DomainByFile, &t2
	})
	dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	dbtest.AddSignatory(t, a.store, models.StatusWithdrawn, nil)
	return first, second
}

func TestSignatoriesCSV(t *testing.T) {
	a := newApp(t)
	first, second := addOpenDataRows(t, a)
	rec := a.get("/signatories.csv")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv; charset=utf-8") {
		t.Fatalf("GET /signatories.csv = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(rec.Body.String(), "\r\n") {
		t.Error("RFC 4180 lines end in CRLF")
	}
	records, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"slug", "name", "category", "country", "website", "statement", "signed_at", "charter_version", "url",
			"charter_version_label", "reaffirmed_version", "reaffirmed_at", "verified_domain"},
		// No version is published in this database: the labels are empty.
		{first.Slug, first.Name, "government", "RU", first.Website, "Line one,\nline \"two\".", "2024-05-01T09:30:00Z", "test", "http://charter.test/signatories/" + first.Slug, "", "", "", ""},
		// A statement a spreadsheet would run as a formula is defused.
		{second.Slug, second.Name, "civil_society", "FR", second.Website, "'=HYPERLINK(\"http://evil.example\")", "2025-02-03T10:00:00Z", "test", "http://charter.test/signatories/" + second.Slug, "", "", "", "example.org"},
	}
	if fmt.Sprint(records) != fmt.Sprint(want) {
		t.Errorf("CSV:\n%q\nwant\n%q", records, want)
	}
}

func TestSignatoriesJSON(t *testing.T) {
	a := newApp(t)
	first, second := addOpenDataRows(t, a)
	rec := a.get("/signatories.json")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /signatories.json = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var got []map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("%v in %s", err, rec.Body)
	}
	if len(got) != 2 || got[0]["slug"] != first.Slug || got[1]["slug"] != second.Slug {
		t.Fatalf("JSON rows %v", got)
	}
	wantKeys := "category,charter_version,charter_version_label,country,name,reaffirmed_at,reaffirmed_version,signed_at,slug,statement,url,verified_domain,website"
	var keys []string
	for k := range got[0] {
		keys = append(keys, k)
	}
	if strings.Join(sorted(keys), ",") != wantKeys {
		t.Errorf("fields %v, want %s", sorted(keys), wantKeys)
	}
	if got[0]["name"] != first.Name || got[0]["signed_at"] != "2024-05-01T09:30:00Z" || got[0]["country"] != "RU" {
		t.Errorf("first row %v", got[0])
	}
	// The field order is stable: as documented.
	if !strings.HasPrefix(strings.SplitN(rec.Body.String(), "\n", 3)[1], `{"slug":`) {
		t.Errorf("rows must start with slug: %s", rec.Body.String()[:80])
	}
	if line := strings.SplitN(rec.Body.String(), "\n", 4)[2]; !strings.HasSuffix(line, `,"verified_domain":"example.org"}`) {
		t.Errorf("the verified domain must come last: %s", line)
	}

	empty := newApp(t).get("/signatories.json")
	var none []map[string]string
	if err := json.Unmarshal(empty.Body.Bytes(), &none); err != nil || none == nil || len(none) != 0 {
		t.Errorf("empty export %q: %v", empty.Body.String(), err)
	}
}

type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  string   `xml:"author>name"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

func TestFeed(t *testing.T) {
	a := newApp(t)
	first, second := addOpenDataRows(t, a)
	rec := a.get("/feed.atom")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("GET /feed.atom = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	var feed atomDoc
	if err := xml.Unmarshal(rec.Body.Bytes(), &feed); err != nil {
		t.Fatal(err)
	}
	if feed.ID == "" || feed.Title == "" || feed.Author == "" || feed.Updated != "2025-02-03T10:00:00Z" {
		t.Errorf("feed head: %+v", feed)
	}
	if len(feed.Entries) != 2 || feed.Entries[0].Title != second.Name || feed.Entries[1].Title != first.Name {
		t.Fatalf("entries %+v", feed.Entries)
	}
	e := feed.Entries[1]
	if e.Link.Href != "http://charter.test/signatories/"+first.Slug || e.Updated != "2024-05-01T09:30:00Z" ||
		!strings.Contains(e.Summary, "Russia") {
		t.Errorf("entry %+v", e)
	}

	var empty atomDoc
	if err := xml.Unmarshal(newApp(t).get("/feed.atom").Body.Bytes(), &empty); err != nil || empty.Updated == "" || len(empty.Entries) != 0 {
		t.Errorf("empty feed: %+v, %v", empty, err)
	}
}

func TestBadge(t *testing.T) {
	a := newApp(t)
	at := time.Date(2025, 6, 7, 8, 0, 0, 0, time.UTC)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.ApprovedAt = `Kids <"&"> Trust`, &at
	})
	type svg struct {
		Role  string   `xml:"role,attr"`
		Title string   `xml:"title"`
		Texts []string `xml:"text"`
	}
	get := func() svg {
		t.Helper()
		rec := a.get("/signatories/" + s.Slug + "/badge.svg")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/svg+xml") {
			t.Fatalf("badge = %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		var b svg
		if err := xml.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Fatalf("badge is not well-formed XML: %v\n%s", err, rec.Body)
		}
		return b
	}
	b := get()
	if b.Role != "img" || b.Title != `Kids <"&"> Trust signed the Digital Ethics of Childhood Charter on 7 June 2025` {
		t.Errorf("approved badge: role %q, title %q", b.Role, b.Title)
	}
	if !strings.Contains(strings.Join(b.Texts, " "), "Signed the Digital Ethics") {
		t.Errorf("approved badge text %q", b.Texts)
	}

	a.store.DB.Exec("UPDATE signatories SET status = 'withdrawn', withdrawn_at = ? WHERE id = ?",
		time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), s.ID)
	b = get()
	all := b.Title + " " + strings.Join(b.Texts, " ")
	if strings.Contains(all, "Signed the") || strings.Contains(all, " signed the") || !strings.Contains(b.Title, "no longer a signatory") ||
		!strings.Contains(b.Title, "1 September 2025") {
		t.Errorf("withdrawn badge still claims a signature: %q", all)
	}
}

// Every public response answers a repeated request carrying its ETag with 304, and a change of
// public state gives a new ETag.
func TestConditionalRequests(t *testing.T) {
	a := newApp(t)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	targets := []string{"/signatories", "/signatories?q=test&sort=name", "/signatories/" + s.Slug,
		"/signatories/" + s.Slug + "/badge.svg", "/signatories.csv", "/signatories.json", "/feed.atom"}
	tags := map[string]string{}
	for _, target := range targets {
		rec := a.get(target)
		tag := rec.Header().Get("ETag")
		if rec.Code != http.StatusOK || tag == "" {
			t.Fatalf("GET %s = %d, ETag %q", target, rec.Code, tag)
		}
		tags[target] = tag
		again := a.conditional(target, tag)
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Errorf("GET %s with If-None-Match = %d (%d bytes), want 304", target, again.Code, again.Body.Len())
		}
		if other := a.conditional(target, `W/"other-1"`); other.Code != http.StatusOK {
			t.Errorf("GET %s with a stale ETag = %d, want 200", target, other.Code)
		}
	}
	dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	for _, target := range targets {
		if rec := a.conditional(target, tags[target]); rec.Code != http.StatusOK {
			t.Errorf("GET %s after a new approval = %d, want 200", target, rec.Code)
		}
	}
}

// The cache of public pages is invalidated by the database, not by the code that changes it: a
// plain SQL UPDATE, as another part of the application or an operator might run, shows at once.
func TestPublicCacheFollowsPlainSQLChanges(t *testing.T) {
	a := newApp(t)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, named("Cached Foundation"))
	other := dbtest.AddSignatory(t, a.store, models.StatusPending, named("Waiting Trust"))
	home := func() string { return text(doc(t, a.get("/")).Find(".total")) }
	if got := listed(t, a, "/signatories"); len(got) != 1 || home() != "1" {
		t.Fatalf("before: listed %q, home total %s", got, home())
	}
	listed(t, a, "/signatories") // now served from the cache

	exec := func(sql string, args ...any) {
		t.Helper()
		if err := a.store.DB.Exec(sql, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec("UPDATE signatories SET status = 'revoked', revoked_at = ? WHERE id = ?", time.Now().UTC(), s.ID)
	if got := listed(t, a, "/signatories"); len(got) != 0 || home() != "0" {
		t.Errorf("after a revocation by SQL: listed %q, home total %s", got, home())
	}
	exec("UPDATE signatories SET status = 'approved', approved_at = ? WHERE id = ?", time.Now().UTC(), other.ID)
	if got := listed(t, a, "/signatories?q=waiting"); len(got) != 1 {
		t.Errorf("after an approval by SQL: search lists %q", got)
	}
	exec("UPDATE signatories SET name = 'Renamed Trust', name_key = 'renamed trust' WHERE id = ?", other.ID)
	if got := listed(t, a, "/signatories?q=renamed"); len(got) != 1 || got[0] != "Renamed Trust" {
		t.Errorf("after a rename by SQL: search lists %q", got)
	}
	if got := listed(t, a, "/signatories?q=waiting"); len(got) != 0 {
		t.Errorf("the old name is still found: %q", got)
	}
	exec("DELETE FROM signatories WHERE id = ?", other.ID)
	if got := listed(t, a, "/signatories"); len(got) != 0 || home() != "0" {
		t.Errorf("after a delete by SQL: listed %q, home %s", got, home())
	}
}

func TestHomeShowsCountries(t *testing.T) {
	a := newApp(t)
	for _, c := range []string{"FR", "FR", "DE", "JP"} {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Country = c })
	}
	dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Country = "BR" })
	d := doc(t, a.get("/"))
	if got := text(d.Find(".countries")); got != "From 3 countries." {
		t.Errorf("countries line %q", got)
	}
	if got := text(d.Find(".total")); got != "4" {
		t.Errorf("total %q", got)
	}
}

// No public page, export, feed or badge ever shows a contact's name, role or address.
func TestPublicURLsNeverShowContactData(t *testing.T) {
	a := newApp(t)
	var slugs []string
	statuses := []models.Status{models.StatusApproved, models.StatusApproved, models.StatusWithdrawn,
		models.StatusRevoked, models.StatusPending, models.StatusSubmitted, models.StatusRejected, models.StatusCancelled}
	for i, st := range statuses {
		s := dbtest.AddSignatory(t, a.store, st, func(s *models.Signatory) {
			s.ContactName = fmt.Sprintf("Markername%d Person", i)
			s.ContactRole = fmt.Sprintf("Markerrole%d", i)
			s.ContactEmail = fmt.Sprintf("markeraddress%d@leak.test", i)
			s.Name = fmt.Sprintf("Public Org %d", i)
			s.StatusReason = fmt.Sprintf("Markerreason%d", i)
		})
		slugs = append(slugs, s.Slug)
	}
	targets := []string{"/", "/signatories", "/signatories?sort=name", "/signatories?q=public", "/signatories?q=marker",
		"/signatories?q=leak", "/signatories.csv", "/signatories.json", "/feed.atom"}
	for _, slug := range slugs {
		targets = append(targets, "/signatories/"+slug, "/signatories/"+slug+"/badge.svg")
	}
	for _, target := range targets {
		rec := a.get(target)
		body := strings.ToLower(rec.Body.String())
		for _, marker := range []string{"markername", "markerrole", "markeraddress", "leak.test", "markerreason"} {
			if strings.Contains(body, marker) {
				t.Errorf("GET %s (%d) shows %q", target, rec.Code, marker)
			}
		}
	}
	// Searching for a contact's name finds nothing.
	if got := listed(t, a, "/signatories?q=markername0"); len(got) != 0 {
		t.Errorf("search by contact name found %q", got)
	}
}
