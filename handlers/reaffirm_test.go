package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// reaffirmLink finds the re-affirmation link of a message.
var reaffirmLink = regexp.MustCompile(`http://charter\.test(?:/ru)?/reaffirm/[A-Za-z0-9_-]{43}`)

// versionedApp is an app whose database has version "1" of the charter published: charter.md
// with its first commitment worded otherwise. It returns that first charter; the app serves
// charter.md itself, not yet published.
func versionedApp(t *testing.T, a *app) *models.Charter {
	t.Helper()
	source, err := os.ReadFile("../charter.md")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(source), "\n\n", "\n\nAn old sentence that version 2.0 removes.\n\n", 1)
	first, err := models.NewCharter([]byte(old), nil)
	if err != nil {
		t.Fatal(err)
	}
	if created, err := a.store.EnsureCharterVersion(context.Background(), first); err != nil || !created {
		t.Fatalf("first version: created %v, %v", created, err)
	}
	return first
}

// publish publishes the app's charter as version label.
func (a *app) publish(label string, material bool) int {
	a.t.Helper()
	_, mailed, err := a.store.PublishVersion(context.Background(), a.h.Charter,
		models.PublishOptions{Label: label, Material: material, Summary: "Commitment 3 now covers AI."},
		views.Emails{BaseURL: a.h.BaseURL})
	if err != nil {
		a.t.Fatal(err)
	}
	return mailed
}

func TestMaterialVersionAsksEachContactToReaffirmInTheirLanguage(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	signed := func(lang string) func(*models.Signatory) {
		return func(s *models.Signatory) { s.CharterVersion, s.Lang = first.Version, lang }
	}
	en := dbtest.AddSignatory(t, a.store, models.StatusApproved, signed("en"))
	ru := dbtest.AddSignatory(t, a.store, models.StatusApproved, signed("ru"))
	pending := dbtest.AddSignatory(t, a.store, models.StatusPending, signed("en"))
	withdrawn := dbtest.AddSignatory(t, a.store, models.StatusWithdrawn, signed("en"))
	a.clock.Add(time.Hour)

	if n := a.publish("2.0", true); n != 2 {
		t.Fatalf("mailed %d, want the 2 approved signatories", n)
	}
	for _, s := range []*models.Signatory{pending, withdrawn} {
		if m := outbox(t, a.store, s.ContactEmail); len(m) != 0 {
			t.Errorf("%s (%s) was mailed: %q", s.Name, s.Status, m[0].Subject)
		}
	}
	enMail, ruMail := outbox(t, a.store, en.ContactEmail), outbox(t, a.store, ru.ContactEmail)
	if len(enMail) != 1 || len(ruMail) != 1 {
		t.Fatalf("messages: en %d, ru %d; want one each", len(enMail), len(ruMail))
	}
	if !contains(enMail[0].Subject, "please re-affirm (version 2.0)") || !contains(enMail[0].Body, "Commitment 3 now covers AI.") ||
		!contains(enMail[0].Body, "http://charter.test/charter/versions/2.0") {
		t.Errorf("English mail:\n%s\n%s", enMail[0].Subject, enMail[0].Body)
	}
	if !contains(ruMail[0].Subject, "подтвердите подпись (версия 2.0)") || !contains(ruMail[0].Body, "http://charter.test/ru/charter/versions/2.0") {
		t.Errorf("Russian mail:\n%s\n%s", ruMail[0].Subject, ruMail[0].Body)
	}
	var limits int64
	if err := a.store.DB.Table("mail_limits").Count(&limits).Error; err != nil || limits != 0 {
		t.Errorf("the mailing took from the public forms' mail limits: %d rows, %v", limits, err)
	}

	// The public page says the signatory has not yet re-affirmed.
	page := text(doc(t, a.get("/signatories/"+en.Slug)).Find(".versions-signed"))
	if !contains(page, "Signed version 1 on") || !contains(page, "Has not yet re-affirmed the current version (2.0)") {
		t.Errorf("page before: %q", page)
	}

	// Opening the link (as a mail scanner does) shows the changes and changes nothing.
	link := pathOf(t, reaffirmLink.FindString(enMail[0].Body))
	for range 2 {
		rec := a.get(link)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", link, rec.Code, rec.Body.String())
		}
		d := doc(t, rec)
		if removed := text(d.Find(".diff .diff-removed")); !contains(removed, "An old sentence that version 2.0 removes.") {
			t.Errorf("the diff does not show the removed line: %q", removed)
		}
		if !contains(text(d.Find("blockquote")), "Commitment 3 now covers AI.") {
			t.Error("the page does not show the summary")
		}
		if rec.Header().Get("Cache-Control") != "no-store" || len(rec.Result().Cookies()) != 0 {
			t.Errorf("headers: %v", rec.Header())
		}
	}
	if s := a.signatory(en.ID); s.ReaffirmedVersion != "" || s.ReaffirmedAt != nil {
		t.Fatalf("GET re-affirmed: %+v", s)
	}
	ruLink := pathOf(t, reaffirmLink.FindString(ruMail[0].Body))
	if !strings.HasPrefix(ruLink, "/ru/reaffirm/") {
		t.Errorf("Russian link %s", ruLink)
	}
	if rec := a.get(ruLink); rec.Code != http.StatusOK || !contains(rec.Body.String(), "Подтверждаем подпись под версией 2.0") {
		t.Errorf("Russian page: %d", rec.Code)
	} else {
		assertNoLeaks(t, views.Russian, rec.Body.String())
	}

	// The button re-affirms, once.
	a.clock.Add(time.Hour)
	rec := a.do(http.MethodPost, link, url.Values{})
	if rec.Code != http.StatusSeeOther || location(rec) != "/reaffirmed" {
		t.Fatalf("POST: %d %s\n%s", rec.Code, location(rec), rec.Body.String())
	}
	if s := a.signatory(en.ID); s.ReaffirmedVersion != a.h.Charter.Version || s.ReaffirmedAt == nil || !s.ReaffirmedAt.Equal(a.clock.Now()) {
		t.Errorf("after POST: %q %v", s.ReaffirmedVersion, s.ReaffirmedAt)
	}
	events := a.auditOf(en.ID)
	if last := events[len(events)-1]; last.Action != models.ActionReaffirmed || last.Actor != models.ActorContact || !contains(last.Detail, `"version":"2.0"`) {
		t.Errorf("audit: %+v", last)
	}
	if rec := a.do(http.MethodPost, link, url.Values{}); rec.Code != http.StatusGone {
		t.Errorf("second POST: %d", rec.Code)
	}
	if rec := a.get(link); rec.Code != http.StatusGone {
		t.Errorf("GET after re-affirming: %d", rec.Code)
	}

	// The public page, in both languages, now says both.
	page = text(doc(t, a.get("/signatories/"+en.Slug)).Find(".versions-signed"))
	if !contains(page, "Signed version 1 on") || !contains(page, "Re-affirmed version 2.0 on") || contains(page, "not yet") {
		t.Errorf("page after: %q", page)
	}
	page = text(doc(t, a.get("/ru/signatories/"+en.Slug)).Find(".versions-signed"))
	if !contains(page, "Подписала версию 1") || !contains(page, "Подтвердила версию 2.0") {
		t.Errorf("Russian page after: %q", page)
	}
	if href, _ := doc(t, a.get("/ru/signatories/"+en.Slug)).Find(".versions-signed a").Last().Attr("href"); href != "/ru/charter/versions/2.0" {
		t.Errorf("Russian version link %q", href)
	}
}

func TestNonMaterialVersionSendsNothing(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = first.Version })
	if rec := a.get("/charter/versions"); contains(rec.Body.String(), "1.1") {
		t.Fatal("1.1 listed before it is published")
	}
	if n := a.publish("1.1", false); n != 0 {
		t.Errorf("mailed %d", n)
	}
	if m := a.outbox(); len(m) != 0 {
		t.Errorf("queued %d messages", len(m))
	}
	page := text(doc(t, a.get("/signatories/"+s.Slug)).Find(".versions-signed"))
	if !contains(page, "Signed version 1 on") || contains(page, "not yet") {
		t.Errorf("page: %q", page)
	}
	// A new version is a public change: the cached list is not served.
	if rec := a.get("/charter/versions"); !contains(rec.Body.String(), "1.1") {
		t.Error("the versions page still shows the list before 1.1")
	}
}

func TestVersionPagesInBothLanguages(t *testing.T) {
	a := newAdminApp(t)
	dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = "0ld0ld0ld0ld" })
	versionedApp(t, a) // records the old signature's text as 0.1, then 1
	a.publish("2.0", true)

	d := doc(t, a.get("/charter/versions"))
	var listed []string
	d.Find("table.versions tbody th").Each(func(_ int, s *goquery.Selection) { listed = append(listed, text(s)) })
	if got := strings.Join(listed, ", "); got != "2.0 (current), 1, 0.1" {
		t.Errorf("versions listed: %q", got)
	}
	for _, c := range []struct{ path, want, notice string }{
		{"/charter/versions/1", "An old sentence that version 2.0 removes.", "This version has been replaced"},
		{"/ru/charter/versions/1", "An old sentence that version 2.0 removes.", "Перевода этой версии нет"},
		{"/charter/versions/0.1", "", "is not stored"},
		{"/ru/charter/versions/2.0", "Хартия", ""},
	} {
		rec := a.get(c.path)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d", c.path, rec.Code)
			continue
		}
		if len(rec.Result().Cookies()) != 0 || rec.Header().Get("ETag") == "" {
			t.Errorf("%s is not served as a public page: %v", c.path, rec.Header())
		}
		body := text(doc(t, rec).Find("article"))
		if !contains(body, c.want) || !contains(body, c.notice) {
			t.Errorf("%s: want %q and %q in %.300q", c.path, c.want, c.notice, body)
		}
	}
	// No English word is left on the Russian pages.
	for _, p := range []string{"/ru/charter/versions", "/ru/charter/versions/0.1", "/ru/charter/versions/2.0"} {
		assertNoLeaks(t, views.Russian, a.get(p).Body.String())
	}
	for _, p := range []string{"/charter/versions/9.9", "/charter/versions/" + strings.Repeat("9", 30), "/charter/versions/..%2f"} {
		if rec := a.get(p); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
}

func TestRemindersToReaffirm(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	due := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = first.Version; s.Lang = "ru" })
	a.publish("2.0", true)
	current := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = a.h.Charter.Version })
	a.signIn()

	d := doc(t, a.get("/admin/reaffirm"))
	if rows := d.Find("table.not-reaffirmed tbody tr"); rows.Length() != 1 || rows.AttrOr("data-id", "") != itoa(due.ID) {
		t.Fatalf("not re-affirmed: %q", text(rows))
	}

	remind := func(id int64) string {
		t.Helper()
		rec := a.post("/admin/signatories/"+itoa(id)+"/remind", nil)
		if rec.Code != http.StatusSeeOther || location(rec) != "/admin/reaffirm" {
			t.Fatalf("remind: %d %s", rec.Code, location(rec))
		}
		return text(doc(t, a.get("/admin/reaffirm")).Find(".flash"))
	}
	// The mail of the publication was less than a day ago.
	if f := remind(due.ID); !contains(f, "less than a day ago") || len(outbox(t, a.store, due.ContactEmail)) != 1 {
		t.Errorf("reminder within a day: %q", f)
	}
	a.clock.Add(25 * time.Hour)
	a.signIn() // the session has expired meanwhile
	if f := remind(due.ID); !contains(f, "Reminder queued") {
		t.Errorf("reminder: %q", f)
	}
	msgs := outbox(t, a.store, due.ContactEmail)
	if len(msgs) != 2 || !contains(msgs[1].Subject, "Напоминание") || reaffirmLink.FindString(msgs[1].Body) == "" {
		t.Fatalf("reminder mail: %d messages", len(msgs))
	}
	events := a.auditOf(due.ID)
	if last := events[len(events)-1]; last.Action != models.ActionReaffirmReminded || last.AdminID == nil {
		t.Errorf("audit: %+v", last)
	}
	if f := remind(due.ID); !contains(f, "less than a day ago") || len(outbox(t, a.store, due.ContactEmail)) != 2 {
		t.Errorf("second reminder: %q", f)
	}
	if f := remind(current.ID); !contains(f, "nothing to re-affirm") || len(outbox(t, a.store, current.ContactEmail)) != 0 {
		t.Errorf("reminder to an up-to-date signatory: %q", f)
	}
	if rec := a.post("/admin/signatories/999999/remind", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown signatory: %d", rec.Code)
	}
	// Without the CSRF token nothing is sent.
	if rec := a.do(http.MethodPost, "/admin/signatories/"+itoa(due.ID)+"/remind", url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("without CSRF: %d", rec.Code)
	}
}

func TestOpenDataNamesTheVersions(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = first.Version })
	a.publish("2.0", true)
	a.clock.Add(time.Hour)
	if _, _, err := a.store.Reaffirm(context.Background(), strings.TrimPrefix(pathOf(t,
		reaffirmLink.FindString(outbox(t, a.store, s.ContactEmail)[0].Body)), "/reaffirm/")); err != nil {
		t.Fatal(err)
	}
	at := a.clock.Now().UTC().Format(time.RFC3339)

	csv := a.get("/signatories.csv").Body.String()
	lines := strings.Split(strings.TrimSpace(csv), "\r\n")
	if !strings.HasSuffix(lines[0], ",charter_version,url,charter_version_label,reaffirmed_version,reaffirmed_at,verified_domain") {
		t.Errorf("CSV header: %s", lines[0])
	}
	if !strings.HasSuffix(lines[1], ",1,2.0,"+at+",") {
		t.Errorf("CSV row: %s", lines[1])
	}
	var rows []map[string]string
	if err := json.Unmarshal(a.get("/signatories.json").Body.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	if r := rows[0]; r["charter_version"] != first.Version || r["charter_version_label"] != "1" || r["reaffirmed_version"] != "2.0" || r["reaffirmed_at"] != at {
		t.Errorf("JSON: %v", r)
	}
}

// Two links for one signature (the publication's and a reminder's), pressed at once from several
// tabs: exactly one re-affirmation is recorded.
func TestConcurrentReaffirmationsRecordOne(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = first.Version })
	a.publish("2.0", true)
	a.clock.Add(25 * time.Hour)
	if err := a.store.RemindReaffirm(context.Background(), s.ID, 1, views.Emails{BaseURL: a.h.BaseURL}); err != nil {
		t.Fatal(err)
	}
	msgs := outbox(t, a.store, s.ContactEmail)
	links := []string{pathOf(t, reaffirmLink.FindString(msgs[0].Body)), pathOf(t, reaffirmLink.FindString(msgs[1].Body))}
	codes := make(chan int, 8)
	for i := range 8 {
		go func() {
			req := httptestRequest(http.MethodPost, links[i%2], url.Values{}, nil)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			codes <- serve(a.router, req).Code
		}()
	}
	ok := 0
	for range 8 {
		switch c := <-codes; c {
		case http.StatusSeeOther:
			ok++
		case http.StatusGone:
		default:
			t.Errorf("status %d", c)
		}
	}
	var n int64
	a.store.DB.Model(&models.AuditEvent{}).Where("signatory_id = ? AND action = ?", s.ID, models.ActionReaffirmed).Count(&n)
	if ok != 1 || n != 1 {
		t.Errorf("%d re-affirmed, %d recorded; want 1 and 1", ok, n)
	}
	// The public log holds it too, once, with the version re-affirmed.
	var entries []models.LogEntry
	a.store.DB.Where("signatory_id = ? AND event = ?", s.ID, "reaffirm").Find(&entries)
	current, err := a.store.CharterVersionByLabel(context.Background(), "2.0")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !strings.Contains(entries[0].Body, current.Hash) {
		t.Errorf("public log entries of the re-affirmation: %+v; want one naming version %s", entries, current.Hash)
	}
}

// The console names the version a signatory signed by its label, beside its hash.
func TestConsoleNamesTheVersionSigned(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	s := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = first.Version })
	a.signIn()
	got := text(doc(t, a.get("/admin/signatories/"+itoa(s.ID))).Find("td .version").First())
	if got != "1" {
		t.Errorf("the console names the version %q, want its label 1", got)
	}
}
