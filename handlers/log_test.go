package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/publiclog"
)

// withLogKey gives the app a signing key for its log, named as main names it.
func withLogKey(h *handlers.Handler) {
	origin, err := publiclog.Origin(h.BaseURL)
	if err != nil {
		panic(err)
	}
	key, err := publiclog.NewKey(origin)
	if err != nil {
		panic(err)
	}
	h.LogKey = key
}

// approveNew adds a pending application and approves it through the store, n times.
func (a *app) approveNew(n int) {
	a.t.Helper()
	for range n {
		sig := dbtest.AddSignatory(a.t, a.store, models.StatusPending, nil)
		if _, err := a.store.ApproveSignatory(context.Background(), models.Decision{SignatoryID: sig.ID, AdminID: 1}); err != nil {
			a.t.Fatal(err)
		}
	}
}

// checkpoint fetches and verifies the app's checkpoint with the key it publishes.
func (a *app) checkpoint() publiclog.Checkpoint {
	a.t.Helper()
	rec := a.get("/log/checkpoint")
	if rec.Code != http.StatusOK {
		a.t.Fatalf("checkpoint: %d %s", rec.Code, rec.Body.String())
	}
	c, err := publiclog.OpenCheckpoint(rec.Body.Bytes(), strings.TrimSpace(a.get("/log/key").Body.String()))
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// The log's page and its plain-text answers are public: no cookie, cacheable, 304 for a copy
// that is current, and the page is in both languages.
func TestLogEndpointsArePublic(t *testing.T) {
	a := newApp(t, withLogKey)
	a.approveNew(3)
	for _, target := range []string{"/log", "/ru/log", "/log/key", "/log/checkpoint", "/log/entries?start=0&end=3",
		"/log/proof/inclusion?index=1&size=3", "/log/proof/consistency?old=1&new=3"} {
		rec := a.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
		if c := rec.Result().Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s sets a cookie: %v", target, c)
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
			t.Errorf("%s: Cache-Control %q", target, cc)
		}
		tag := rec.Header().Get("ETag")
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("If-None-Match", tag)
		if again := serve(a.router, req); again.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d", target, again.Code)
		}
		if strings.HasPrefix(target, "/log/") && rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", target, rec.Header().Get("Content-Type"))
		}
	}
	en, ru := doc(t, a.get("/log")), doc(t, a.get("/ru/log"))
	if got := text(en.Find("h1")); got != "Public log" {
		t.Errorf("English title %q", got)
	}
	if got := text(ru.Find("h1")); got != "Публичный журнал" {
		t.Errorf("Russian title %q", got)
	}
	if got := text(en.Find(".log-size")); got != "The log now holds 3 entries." {
		t.Errorf("size: %q", got)
	}
	if got := text(ru.Find(".log-size")); got != "Сейчас в журнале 3 записи." {
		t.Errorf("size in Russian: %q", got)
	}
	if got, want := text(en.Find(".log-key")), strings.TrimSpace(a.get("/log/key").Body.String()); got != want {
		t.Errorf("the page shows the key %q, /log/key is %q", got, want)
	}
	if !strings.Contains(text(en.Find("pre").Last()), "charter verify-log http://charter.test") {
		t.Errorf("no command to check the log: %q", text(en.Find("pre")))
	}
	if rec := a.get("/ru/log/checkpoint"); rec.Code != http.StatusNotFound {
		t.Errorf("/ru/log/checkpoint: %d; the plain-text answers have one address", rec.Code)
	}
	if c := a.checkpoint(); c.Origin != "charter.test" || c.Size != 3 {
		t.Errorf("checkpoint %+v", c)
	}
}

// A new entry changes the checkpoint at once, though the same state's answers are cached.
func TestLogCheckpointFollowsTheLog(t *testing.T) {
	a := newApp(t, withLogKey)
	if c := a.checkpoint(); c.Size != 0 {
		t.Fatalf("empty log: %+v", c)
	}
	a.approveNew(1)
	if c := a.checkpoint(); c.Size != 1 {
		t.Fatalf("after an approval: %+v", c)
	}
}

// Bad numbers and ranges beyond the log get 400 and a message in plain text, never a 500.
func TestLogBadRequests(t *testing.T) {
	a := newApp(t, withLogKey)
	a.approveNew(5)
	for _, target := range []string{
		"/log/entries", "/log/entries?start=0", "/log/entries?start=x&end=2", "/log/entries?start=-1&end=2",
		"/log/entries?start=2&end=2", "/log/entries?start=3&end=2", "/log/entries?start=0&end=1001",
		"/log/entries?start=4&end=6", "/log/entries?start=99999999999999999999&end=1",
		"/log/proof/inclusion?index=5&size=5", "/log/proof/inclusion?index=0&size=6", "/log/proof/inclusion?index=0&size=0",
		"/log/proof/inclusion?index=1", "/log/proof/inclusion?index=1.5&size=3",
		"/log/proof/consistency?old=0&new=5", "/log/proof/consistency?old=3&new=2", "/log/proof/consistency?old=1&new=6",
		"/log/proof/consistency?new=3",
	} {
		rec := a.get(target)
		if rec.Code != http.StatusBadRequest || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" ||
			len(strings.TrimSpace(rec.Body.String())) < 10 {
			t.Errorf("%s: %d %q %q", target, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: a 400 with Cache-Control %q", target, cc)
		}
	}
	if got := a.get("/log/entries?start=0&end=1001").Body.String(); !strings.Contains(got, "1,000") && !strings.Contains(got, "1000") {
		t.Errorf("the message does not say the limit: %q", got)
	}
	if rec := a.get("/log/entries?start=0&end=5"); rec.Code != http.StatusOK || len(publiclog.SplitEntries(rec.Body.Bytes())) != 5 {
		t.Errorf("a good range after bad ones: %d", rec.Code)
	}
}

// Through the router, the proofs verify with tlog against the signed checkpoint of every size
// from 1 to 300: inclusion of the first, middle and last entries, consistency from sizes 1,
// half and one less.
func TestLogProofsThroughTheRouter(t *testing.T) {
	a := newApp(t, withLogKey)
	const n = 300
	roots := make([]tlog.Hash, n+1)
	for size := 1; size <= n; size++ {
		a.approveNew(1)
		c := a.checkpoint()
		if c.Size != int64(size) {
			t.Fatalf("size %d, want %d", c.Size, size)
		}
		roots[size] = c.Hash
	}
	var texts [][]byte
	for start := 0; start < n; start += 100 {
		rec := a.get("/log/entries?start=" + strconv.Itoa(start) + "&end=" + strconv.Itoa(start+100))
		texts = append(texts, publiclog.SplitEntries(rec.Body.Bytes())...)
	}
	proof := func(target string) []tlog.Hash {
		rec := a.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body.String())
		}
		p, err := publiclog.ParseProof(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for size := int64(1); size <= n; size++ {
		for _, i := range []int64{0, size / 2, size - 1} {
			p := proof("/log/proof/inclusion?index=" + itoa(i) + "&size=" + itoa(size))
			if err := tlog.CheckRecord(p, size, roots[size], i, tlog.RecordHash(texts[i])); err != nil {
				t.Fatalf("entry %d in %d: %v", i, size, err)
			}
		}
		for _, old := range []int64{1, max(1, size/2), max(1, size-1), size} {
			p := proof("/log/proof/consistency?old=" + itoa(old) + "&new=" + itoa(size))
			if err := tlog.CheckTree(p, size, roots[size], old, roots[old]); err != nil {
				t.Fatalf("%d from %d: %v", size, old, err)
			}
		}
	}
}

// Each signatory's page lists its entries, linking to their text; an approval, an edit and a
// revocation by a reviewer through the console are each logged.
func TestSignatoryPageLinksItsEntries(t *testing.T) {
	a := newAdminApp(t)
	withLogKey(a.h)
	a.approveNew(2) // entries 0 and 1 are others'
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) {
		s.Name, s.Slug = "Safe Play Trust", "safe-play-trust"
	})
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)
	if rec := a.post(page+"/approve", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d", rec.Code)
	}
	form := url.Values{"name": {"Safe Play Trust UK"}, "category": {string(sig.Category)}, "country": {"gb"},
		"website": {sig.Website}, "statement": {sig.Statement}}
	if rec := a.post(page+"/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", rec.Code, rec.Body.String())
	}
	if rec := a.post(page+"/revoke", url.Values{"reason": {"not an organisation"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	for lang, want := range map[string][]string{
		"":    {"Entry 2: approved", "Entry 3: public details corrected", "Entry 4: signature revoked"},
		"/ru": {"Запись 2: подпись одобрена", "Запись 3: открытые сведения исправлены", "Запись 4: подпись аннулирована"},
	} {
		d := doc(t, a.get(lang+"/signatories/safe-play-trust"))
		links := d.Find(".signatory-log li a")
		if links.Length() != 3 {
			t.Fatalf("%s: %d entries listed", lang, links.Length())
		}
		for i := range 3 {
			l := links.Eq(i)
			if got := text(l); !strings.HasPrefix(got, want[i]) {
				t.Errorf("%s: entry %d reads %q, want %q…", lang, i, got, want[i])
			}
			href, _ := l.Attr("href")
			body := a.get(href).Body.String()
			e, err := publiclog.ParseEntry([]byte(body))
			if err != nil || e.Index != int64(2+i) || e.Slug != "safe-play-trust" {
				t.Errorf("%s: %s gives %+v %v", lang, href, e, err)
			}
		}
	}
	e, _ := publiclog.ParseEntry(a.get("/log/entries?start=4&end=5").Body.Bytes())
	if e.Name != "Safe Play Trust UK" || e.Country != "GB" || e.Event != publiclog.EventRevoked {
		t.Errorf("the revocation's entry: %+v", e)
	}
	// Rejecting an application puts nothing in the log.
	other := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.post("/admin/signatories/"+itoa(other.ID)+"/reject", url.Values{"reason": {"no"}})
	if c := a.checkpoint(); c.Size != 5 {
		t.Errorf("after a rejection the log has %d entries, want 5", c.Size)
	}
}
