package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
	"charter/models/dbtest"
)

func homeTotal(t *testing.T, a *app) string {
	t.Helper()
	return text(doc(t, a.get("/")).Find(".total"))
}

// formToken reads the CSRF token from a form of the page, as a browser would submit it.
func formToken(t *testing.T, d *goquery.Document, action string) string {
	t.Helper()
	form := d.Find(`form[action="` + action + `"]`)
	if form.Length() == 0 {
		t.Fatalf("no form posting to %s", action)
	}
	tok, _ := form.Find(`input[name=_csrf]`).Attr("value")
	return tok
}

func TestApproveFromTheSignatoryPage(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) {
		s.Name, s.Slug, s.ContactEmail = "Kids Online Foundation", "kids-online-foundation", "lead@kids.example.org"
	})
	a.signIn()
	if got := homeTotal(t, a); got != "0" {
		t.Fatalf("home total before: %s", got)
	}
	page := "/admin/signatories/" + itoa(sig.ID)
	d := doc(t, a.get(page))
	if h1 := text(d.Find("h1")); h1 != "Kids Online Foundation" {
		t.Errorf("h1 %q", h1)
	}
	if c := text(d.Find(".contact")); !contains(c, "lead@kids.example.org") || !contains(c, "Alex Martin") {
		t.Errorf("contact %q", c)
	}
	rec := a.do(http.MethodPost, page+"/approve", url.Values{"_csrf": {formToken(t, d, page+"/approve")}})
	if rec.Code != http.StatusSeeOther || location(rec) != page {
		t.Fatalf("approve: %d %q", rec.Code, location(rec))
	}
	got := a.signatory(sig.ID)
	if got.Status != models.StatusApproved || got.ApprovedAt == nil || got.Slug != "kids-online-foundation" {
		t.Errorf("after approval: %s %v %s", got.Status, got.ApprovedAt, got.Slug)
	}
	events := a.auditOf(sig.ID)
	if len(events) != 1 || events[0].Action != "approve" || events[0].FromStatus != models.StatusPending ||
		events[0].ToStatus != models.StatusApproved || events[0].Actor != models.ActorAdmin || events[0].AdminID == nil {
		t.Errorf("audit: %+v", events)
	}
	mail := a.outbox()
	if len(mail) != 1 || mail[0].ToAddr != "lead@kids.example.org" {
		t.Fatalf("outbox: %+v", mail)
	}
	for _, want := range []string{
		"http://charter.test/signatories/kids-online-foundation",
		"http://charter.test/signatories/kids-online-foundation/memorandum\n",
		`<a href="http://charter.test/signatories/kids-online-foundation"><img src="http://charter.test/signatories/kids-online-foundation/badge.svg" alt="`,
	} {
		if !contains(mail[0].Body, want) {
			t.Errorf("approval email lacks %q:\n%s", want, mail[0].Body)
		}
	}
	// The flash is shown once.
	d = doc(t, a.get(page))
	if f := text(d.Find(".flash")); !contains(f, "Approved Kids Online Foundation") {
		t.Errorf("flash %q", f)
	}
	if d.Find(`form[action="`+page+`/approve"]`).Length() != 0 {
		t.Error("an approved signatory can still be approved")
	}
	if d.Find(`form[action="`+page+`/revoke"]`).Length() != 1 {
		t.Error("no revoke form on an approved signatory")
	}
	if f := doc(t, a.get(page)).Find(".flash"); f.Length() != 0 {
		t.Error("the flash is shown twice")
	}
	if got := homeTotal(t, a); got != "1" {
		t.Errorf("home total after approval: %s", got)
	}
	// The history on the page shows the decision and who took it.
	row := doc(t, a.get(page)).Find(`table.audit tr[data-action="approve"]`)
	if !contains(text(row), "admin@charter.test") {
		t.Errorf("history row %q", text(row))
	}
}

func TestRejectNeedsAReason(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)
	rec := a.post(page+"/reject", url.Values{"reason": {""}, "reason_other": {"  "}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("reject without reason: %d", rec.Code)
	}
	d := doc(t, rec)
	if msg := text(d.Find("#reason-error")); msg == "" {
		t.Error("no error beside the reason")
	}
	if got := a.signatory(sig.ID).Status; got != models.StatusPending {
		t.Errorf("status %s", got)
	}
	if len(a.outbox()) != 0 || len(a.auditOf(sig.ID)) != 0 {
		t.Error("a refused rejection left mail or audit events")
	}

	// A typed reason is kept when the form comes back, and wins over the list.
	rec = a.post(page+"/reject", url.Values{"reason": {"We could not verify that the organisation exists."},
		"reason_other": {"Its website does not answer."}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("reject: %d", rec.Code)
	}
	got := a.signatory(sig.ID)
	if got.Status != models.StatusRejected || got.StatusReason != "Its website does not answer." || got.RejectedAt == nil {
		t.Errorf("after rejection: %+v", got)
	}
	mail := a.outbox()
	if len(mail) != 1 || !contains(mail[0].Body, "Its website does not answer.") {
		t.Errorf("rejection email: %+v", mail)
	}
	events := a.auditOf(sig.ID)
	if len(events) != 1 || events[0].Action != "reject" || events[0].Reason != "Its website does not answer." {
		t.Errorf("audit: %+v", events)
	}
}

func TestRevokeTakesAnApprovedSignatoryOffTheList(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	a.signIn()
	if got := homeTotal(t, a); got != "1" {
		t.Fatalf("home total: %s", got)
	}
	page := "/admin/signatories/" + itoa(sig.ID)
	if rec := a.post(page+"/revoke", url.Values{"reason": {""}}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("revoke without reason: %d", rec.Code)
	}
	if rec := a.post(page+"/reject", url.Values{"reason": {"x"}}); rec.Code != http.StatusConflict {
		t.Errorf("rejecting an approved signatory: %d, want 409", rec.Code)
	}
	rec := a.post(page+"/revoke", url.Values{"reason": {"It misrepresented its activities."}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	got := a.signatory(sig.ID)
	if got.Status != models.StatusRevoked || got.RevokedAt == nil || got.StatusReason != "It misrepresented its activities." {
		t.Errorf("after revocation: %+v", got)
	}
	if got := homeTotal(t, a); got != "0" {
		t.Errorf("home total after revocation: %s", got)
	}
	mail := a.outbox()
	if len(mail) != 1 || !contains(mail[0].Body, "It misrepresented its activities.") {
		t.Errorf("revocation email: %+v", mail)
	}
	events := a.auditOf(sig.ID)
	if len(events) != 1 || events[0].Action != "revoke" || events[0].FromStatus != models.StatusApproved ||
		events[0].ToStatus != models.StatusRevoked {
		t.Errorf("audit: %+v", events)
	}
}

// Two reviewers decide on the same application at the same moment: one wins, the other is told,
// and one email goes out.
func TestConcurrentDecisionsOneWins(t *testing.T) {
	a := newAdminApp(t)
	if _, err := a.store.CreateAdmin(t.Context(), "second@charter.test", adminPassword); err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
		page := "/admin/signatories/" + itoa(sig.ID)
		one, two := a.browser(), a.browser()
		one.signIn()
		if rec := two.login("second@charter.test", adminPassword); rec.Code != http.StatusSeeOther {
			t.Fatal("second admin cannot sign in")
		}
		tok1, tok2 := one.csrf(), two.csrf()
		before := len(a.outbox())
		var wg sync.WaitGroup
		codes := make([]int, 2)
		bodies := make([]string, 2)
		wg.Add(2)
		go func() {
			defer wg.Done()
			rec := one.do(http.MethodPost, page+"/approve", url.Values{"_csrf": {tok1}})
			codes[0], bodies[0] = rec.Code, rec.Body.String()
		}()
		go func() {
			defer wg.Done()
			rec := two.do(http.MethodPost, page+"/reject", url.Values{"_csrf": {tok2}, "reason_other": {"Not an organisation."}})
			codes[1], bodies[1] = rec.Code, rec.Body.String()
		}()
		wg.Wait()
		won, lost := -1, -1
		for i, c := range codes {
			switch c {
			case http.StatusSeeOther:
				won = i
			case http.StatusConflict:
				lost = i
			}
		}
		if won < 0 || lost < 0 {
			t.Fatalf("round %d: statuses %v, want one 303 and one 409", round, codes)
		}
		now := map[int]string{0: "Approved", 1: "Rejected"}[won]
		if !contains(bodies[lost], "Someone else has already decided on this application: it is now “"+now+"”") {
			t.Errorf("the loser is not told clearly that it is now %s:\n%s", now, bodies[lost])
		}
		if n := len(a.outbox()) - before; n != 1 {
			t.Errorf("round %d: %d emails queued, want 1", round, n)
		}
		if events := a.auditOf(sig.ID); len(events) != 1 {
			t.Errorf("round %d: %d audit events, want 1", round, len(events))
		}
		want := []models.Status{models.StatusApproved, models.StatusRejected}[won]
		if got := a.signatory(sig.ID).Status; got != want {
			t.Errorf("round %d: status %s, want %s (the winner's)", round, got, want)
		}
	}
}

func TestEditRecordsBeforeAndAfter(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.Slug = "Kids Onlin Foundation", "kids-onlin-foundation"
	})
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)
	form := url.Values{"name": {"Kids Online Foundation"}, "category": {string(sig.Category)}, "country": {"de"},
		"website": {"https://blog.kids-online.co.uk/about"}, "statement": {sig.Statement}}

	if rec := a.post(page+"/edit", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %s", rec.Code, rec.Body.String())
	}
	got := a.signatory(sig.ID)
	if got.Name != "Kids Online Foundation" || got.NameKey != "kids online foundation" || got.Country != "DE" ||
		got.NameSkeleton != models.NameSkeleton("Kids Online Foundation") ||
		got.Website != "https://blog.kids-online.co.uk/about" || got.WebsiteDomain != "kids-online.co.uk" ||
		got.Slug != "kids-onlin-foundation" {
		t.Errorf("after edit: %+v", got)
	}
	events := a.auditOf(sig.ID)
	if len(events) != 1 || events[0].Action != "edit" {
		t.Fatalf("audit: %+v", events)
	}
	var detail struct{ Before, After map[string]string }
	if err := json.Unmarshal([]byte(events[0].Detail), &detail); err != nil {
		t.Fatal(err)
	}
	if detail.Before["name"] != "Kids Onlin Foundation" || detail.After["name"] != "Kids Online Foundation" ||
		detail.Before["country"] != "FR" || detail.After["country"] != "DE" {
		t.Errorf("detail %+v", detail)
	}
	if _, ok := detail.After["category"]; ok {
		t.Error("an unchanged field is recorded")
	}
	if row := text(doc(t, a.get(page)).Find(`table.audit tr[data-action="edit"]`)); !contains(row, "“Kids Onlin Foundation” → “Kids Online Foundation”") {
		t.Errorf("history row %q", row)
	}
	// Saving again without changes records nothing.
	a.post(page+"/edit", form)
	if n := len(a.auditOf(sig.ID)); n != 1 {
		t.Errorf("%d events after an empty edit", n)
	}
}

// TestEditRefusesWhatSignupRefuses sends every wrong answer the sign-up form refuses to the
// admin console's edit: each is refused with the same words, beside the field, with
// aria-invalid and aria-describedby, and nothing is stored.
func TestEditRefusesWhatSignupRefuses(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)
	for _, tc := range publicFieldCases() {
		t.Run(fmt.Sprintf("%s=%.30q", tc.field, tc.value), func(t *testing.T) {
			form := url.Values{"name": {"Kids Online Foundation"}, "category": {"academia"}, "country": {"DE"},
				"website": {"https://kids-online.org"}, "statement": {"We commit."}}
			form.Set(tc.field, tc.value)
			rec := a.post(page+"/edit", form)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", rec.Code)
			}
			d := doc(t, rec)
			if got := text(d.Find("#" + tc.field + "-error")); got != "Error: "+tc.want {
				t.Errorf("beside the field: %q, want %q", got, tc.want)
			}
			input := d.Find("#" + tc.field)
			if input.AttrOr("aria-invalid", "") != "true" || !contains(input.AttrOr("aria-describedby", ""), tc.field+"-error") {
				t.Errorf("input %s: aria-invalid %q aria-describedby %q", tc.field,
					input.AttrOr("aria-invalid", ""), input.AttrOr("aria-describedby", ""))
			}
			if text(d.Find(`.error-summary a[href="#`+tc.field+`"]`)) != tc.want {
				t.Errorf("summary: %q", text(d.Find(".error-summary")))
			}
		})
	}
	if got := a.signatory(sig.ID); got.Name != sig.Name || got.Website != sig.Website || len(a.auditOf(sig.ID)) != 0 {
		t.Errorf("a refused edit changed the signatory: %+v", got)
	}
}

// TestEditStoresWhatSignupStores checks that an edited website is stored with the registrable
// domain sign-up computes, so that the duplicate-domain flag still matches after an edit.
func TestEditStoresWhatSignupStores(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)
	cases := []struct{ website, stored, domain string }{
		{"https://blog.example.co.uk", "https://blog.example.co.uk", "example.co.uk"},
		{"HTTP://Пример.РФ/", "http://пример.рф", "xn--e1afmkfd.xn--p1ai"},
		{"www.kids-online.org", "https://www.kids-online.org", "kids-online.org"},
	}
	for _, tc := range cases {
		form := url.Values{"name": {"  Kids   Online Foundation "}, "category": {"academia"}, "country": {"de"},
			"website": {tc.website}, "statement": {"We commit.\r\nEvery year."}}
		if rec := a.post(page+"/edit", form); rec.Code != http.StatusSeeOther {
			t.Fatalf("%s: status %d", tc.website, rec.Code)
		}
		got := a.signatory(sig.ID)
		if got.Website != tc.stored || got.WebsiteDomain != tc.domain || got.Name != "Kids Online Foundation" ||
			got.Country != "DE" || got.Statement != "We commit.\nEvery year." {
			t.Errorf("%s: stored %q %q %q %q %q", tc.website, got.Website, got.WebsiteDomain, got.Name, got.Country, got.Statement)
		}
	}
	d := doc(t, a.get(page))
	for id, want := range map[string]int{"name": models.NameMaxLen, "website": models.MaxWebsiteLen, "statement": models.StatementMaxLen} {
		if got := d.Find("form.edit #"+id).AttrOr("maxlength", ""); got != itoa(int64(want)) {
			t.Errorf("maxlength of %s: %q, want %d", id, got, want)
		}
	}
}

func TestNotesGoInTheHistory(t *testing.T) {
	a := newAdminApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	page := "/admin/signatories/" + itoa(sig.ID)
	if rec := a.post(page+"/notes", url.Values{"note": {" "}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("empty note: %d", rec.Code)
	}
	if rec := a.post(page+"/notes", url.Values{"note": {"Called them; <b>legit</b>."}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("note: %d", rec.Code)
	}
	events := a.auditOf(sig.ID)
	if len(events) != 1 || events[0].Action != "note" || events[0].FromStatus != models.StatusPending {
		t.Fatalf("audit: %+v", events)
	}
	d := doc(t, a.get(page))
	if note := text(d.Find(`tr[data-action="note"] .detail`)); note != "Called them; <b>legit</b>." {
		t.Errorf("note shown as %q", note)
	}
	if a.signatory(sig.ID).Status != models.StatusPending || len(a.outbox()) != 0 {
		t.Error("a note changed the signatory or sent mail")
	}
}

func TestQueueListsPendingOldestFirstWithFlags(t *testing.T) {
	a := newAdminApp(t)
	older := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Name = "Original Trust" })
	a.clock.Add(time.Hour)
	first := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Name = "Alpha Association" })
	a.clock.Add(time.Hour)
	second := dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Name = "Original Trust (copy)" })
	dbtest.AddSignatory(t, a.store, models.StatusSubmitted, func(s *models.Signatory) { s.Name = "Unconfirmed Club" })
	a.store.DB.Exec("INSERT INTO signatory_flags (signatory_id, kind, other_id, created_at) VALUES (?, 'duplicate_domain', ?, ?)",
		second.ID, older.ID, a.clock.Now())
	a.store.DB.Exec("INSERT INTO signatory_flags (signatory_id, kind, other_id, created_at) VALUES (?, 'email_domain_mismatch', NULL, ?)",
		second.ID, a.clock.Now())
	a.signIn()

	d := doc(t, a.get("/admin"))
	var names []string
	d.Find("table.queue tbody a.name").Each(func(_ int, s *goquery.Selection) { names = append(names, text(s)) })
	if strings.Join(names, "|") != "Alpha Association|Original Trust (copy)" {
		t.Errorf("queue %q: want the pending ones, oldest first", names)
	}
	for st, want := range map[string]string{"pending": "2", "approved": "1", "submitted": "1", "rejected": "0"} {
		if got := text(d.Find(`.status-counts .count[data-status="` + st + `"]`)); got != want {
			t.Errorf("count of %s = %q, want %s", st, got, want)
		}
	}
	row := d.Find(`tr[data-id="` + itoa(second.ID) + `"]`)
	flags := row.Find(".flag")
	if flags.Length() != 2 || !contains(text(flags.First()), "Same website domain as Original Trust") {
		t.Errorf("flags %q", text(flags))
	}
	if href, _ := flags.First().Find("a").Attr("href"); href != "/admin/signatories/"+itoa(older.ID) {
		t.Errorf("flag links to %q", href)
	}
	if d.Find(`tr[data-id="`+itoa(first.ID)+`"] .flag`).Length() != 0 {
		t.Error("flags on an unflagged row")
	}
	// The detail page shows the flag too.
	if f := text(doc(t, a.get("/admin/signatories/"+itoa(second.ID))).Find("ul.flags")); !contains(f, "Original Trust") {
		t.Errorf("detail flags %q", f)
	}

	// And the signatory it resembles points back at it.
	if f := text(doc(t, a.get("/admin/signatories/"+itoa(older.ID))).Find("ul.flagged-by")); !contains(f, "Original Trust (copy)") {
		t.Errorf("flagged-by on the original: %q", f)
	}

	d = doc(t, a.get("/admin?status=approved"))
	if got := text(d.Find("table.queue tbody a.name")); got != "Original Trust" {
		t.Errorf("approved filter: %q", got)
	}
	d = doc(t, a.get("/admin?status=pending&q=ORIGINAL+trust"))
	if got := text(d.Find("table.queue tbody a.name")); got != "Original Trust (copy)" {
		t.Errorf("search: %q", got)
	}
	if rec := a.get("/admin?status=bogus"); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown status: %d", rec.Code)
	}
}

func TestQueuePages(t *testing.T) {
	a := newAdminApp(t)
	for i := 0; i < models.QueuePageSize+3; i++ {
		a.clock.Add(time.Second)
		dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	}
	a.signIn()
	seen := map[string]bool{}
	next := "/admin"
	pages := 0
	for next != "" {
		d := doc(t, a.get(next))
		d.Find("table.queue tbody a.name").Each(func(_ int, s *goquery.Selection) {
			if seen[text(s)] {
				t.Errorf("%s on two pages", text(s))
			}
			seen[text(s)] = true
		})
		next, _ = d.Find(`a[rel="next"]`).Attr("href")
		pages++
	}
	if pages != 2 || len(seen) != models.QueuePageSize+3 {
		t.Errorf("%d pages, %d rows", pages, len(seen))
	}
}

func TestBulkApproveAsksForConfirmation(t *testing.T) {
	a := newAdminApp(t)
	s1 := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	s2 := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	s3 := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	a.signIn()
	d := doc(t, a.get("/admin"))
	if d.Find(`form[action="/admin/approve"] input[type=checkbox][name=id]`).Length() != 3 {
		t.Fatal("no checkboxes to select applications")
	}
	// Ticking two and pressing the button shows a confirmation; nothing is approved yet.
	rec := a.get("/admin/approve?id=" + itoa(s1.ID) + "&id=" + itoa(s2.ID))
	if rec.Code != http.StatusOK {
		t.Fatalf("confirm page: %d", rec.Code)
	}
	d = doc(t, rec)
	if h1 := text(d.Find("h1")); h1 != "Approve 2 applications?" {
		t.Errorf("h1 %q", h1)
	}
	if a.signatory(s1.ID).Status != models.StatusPending {
		t.Fatal("the confirmation page approved")
	}
	form := url.Values{"_csrf": {formToken(t, d, "/admin/approve")}}
	d.Find(`form[action="/admin/approve"] input[name=id]`).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		form.Add("id", v)
	})
	// Meanwhile someone else rejects one of them.
	if _, err := a.store.RejectSignatory(t.Context(), models.Decision{SignatoryID: s2.ID, AdminID: 1, Reason: "dup"}); err != nil {
		t.Fatal(err)
	}
	rec = a.do(http.MethodPost, "/admin/approve", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("bulk approve: %d", rec.Code)
	}
	if a.signatory(s1.ID).Status != models.StatusApproved || a.signatory(s2.ID).Status != models.StatusRejected ||
		a.signatory(s3.ID).Status != models.StatusPending {
		t.Error("wrong statuses after bulk approval")
	}
	if n := len(a.outbox()); n != 1 {
		t.Errorf("%d emails, want 1", n)
	}
	if f := text(doc(t, a.get("/admin")).Find(".flash")); !contains(f, "Approved 1") || !contains(f, "1 had already been decided") {
		t.Errorf("flash %q", f)
	}
	if rec := a.get("/admin/approve"); rec.Code != http.StatusSeeOther {
		t.Errorf("confirm with nothing selected: %d", rec.Code)
	}
}

func TestAuditLogFiltersAndPages(t *testing.T) {
	a := newAdminApp(t)
	a.signIn()
	var ids []int64
	for i := 0; i < models.AuditPageSize+5; i++ {
		sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
		ids = append(ids, sig.ID)
		if rec := a.post("/admin/signatories/"+itoa(sig.ID)+"/approve", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("approve: %d", rec.Code)
		}
	}
	a.post("/admin/signatories/"+itoa(ids[0])+"/notes", url.Values{"note": {"first one"}})

	d := doc(t, a.get("/admin/audit"))
	rows := d.Find("table.audit tbody tr")
	if rows.Length() != models.AuditPageSize {
		t.Fatalf("%d rows on the first page", rows.Length())
	}
	if act, _ := rows.First().Attr("data-action"); act != "note" {
		t.Errorf("newest first: first row is %q", act)
	}
	next, _ := d.Find(`a[rel="next"]`).Attr("href")
	d = doc(t, a.get(next))
	// 55 approvals + 1 note + admin_create = 57 events.
	if n := d.Find("table.audit tbody tr").Length(); n != 7 {
		t.Errorf("%d rows on the second page, want 7", n)
	}
	d = doc(t, a.get("/admin/audit?signatory="+itoa(ids[0])))
	if n := d.Find("table.audit tbody tr").Length(); n != 2 {
		t.Errorf("signatory filter: %d rows", n)
	}
	d = doc(t, a.get("/admin/audit?action=note"))
	if n := d.Find("table.audit tbody tr").Length(); n != 1 {
		t.Errorf("action filter: %d rows", n)
	}
	d = doc(t, a.get("/admin/audit?admin=999"))
	if n := d.Find("table.audit tbody tr").Length(); n != 0 {
		t.Errorf("admin filter: %d rows", n)
	}
	// The log cannot be changed, even by a direct query.
	if err := a.store.DB.Exec("UPDATE audit_events SET reason = 'x'").Error; err == nil {
		t.Error("audit events can be updated")
	}
	if err := a.store.DB.Exec("DELETE FROM audit_events").Error; err == nil {
		t.Error("audit events can be deleted")
	}
}

func TestExportHasEverySignatoryWithContacts(t *testing.T) {
	a := newAdminApp(t)
	for _, st := range []models.Status{models.StatusPending, models.StatusApproved, models.StatusRejected} {
		dbtest.AddSignatory(t, a.store, st, func(s *models.Signatory) { s.ContactEmail = string(st) + "@example.org" })
	}
	dbtest.AddSignatory(t, a.store, models.StatusPending, func(s *models.Signatory) { s.Name = "=HYPERLINK(\"x\")" })
	if rec := a.get("/admin/export.csv"); rec.Code != http.StatusSeeOther {
		t.Fatalf("export without a session: %d", rec.Code)
	}
	a.signIn()
	rec := a.get("/admin/export.csv")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(rec.Body.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "id,slug,name") {
		t.Fatalf("export:\n%s", rec.Body.String())
	}
	for _, want := range []string{"pending@example.org", "approved@example.org", "rejected@example.org", `"'=HYPERLINK(""x"")"`} {
		if !contains(rec.Body.String(), want) {
			t.Errorf("export lacks %s", want)
		}
	}
}

// A reason or a note over its limit is told so (not "write a reason"), and the form has the limit
// as maxlength so a browser stops the typing first.
func TestOverlongReasonsAndNotesSaySo(t *testing.T) {
	a := newAdminApp(t)
	pending := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	approved := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	a.signIn()
	long := strings.Repeat("é", models.MaxReasonLength+1)
	cases := []struct {
		id           int64
		action, want string
		form         url.Values
		errorAt      string
	}{
		{pending.ID, "/reject", "Keep the reason under 2,000 characters.", url.Values{"reason_other": {long}}, "#reason-error"},
		{approved.ID, "/revoke", "Keep the reason under 2,000 characters.", url.Values{"reason": {long}}, "#revoke-error"},
		{pending.ID, "/notes", "Keep the note under 4,000 characters.",
			url.Values{"note": {strings.Repeat("n", models.MaxNoteLength+1)}}, "#note-error"},
	}
	for _, c := range cases {
		rec := a.post("/admin/signatories/"+itoa(c.id)+c.action, c.form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", c.action, rec.Code)
			continue
		}
		if got := text(doc(t, rec).Find(c.errorAt)); got != c.want {
			t.Errorf("%s: error %q, want %q", c.action, got, c.want)
		}
	}
	if len(a.outbox()) != 0 || len(a.auditOf(pending.ID)) != 0 || len(a.auditOf(approved.ID)) != 0 {
		t.Error("a refused form left mail or history")
	}
	d := doc(t, a.get("/admin/signatories/"+itoa(pending.ID)))
	for sel, want := range map[string]string{"#reason_other": "2000", "#note": "4000"} {
		if got, _ := d.Find(sel).Attr("maxlength"); got != want {
			t.Errorf("%s maxlength %q, want %s", sel, got, want)
		}
	}
}
