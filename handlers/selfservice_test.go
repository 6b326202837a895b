package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// manageLinkRe finds a manage link in a mail.
var manageLinkRe = regexp.MustCompile(`http://charter\.test(/ru)?/manage/[A-Za-z0-9_-]{43}`)

// manageLink asks for a manage link for email on the /manage form, as the contact would, and
// returns its path from the mail.
func (a *app) manageLink(email string) string {
	a.t.Helper()
	a.clock.Add(11 * time.Minute) // one link per signatory per 10 minutes
	if rec := a.sendForm("/manage", "/manage", url.Values{"email": {email}}); rec.Code != http.StatusSeeOther {
		a.t.Fatalf("POST /manage = %d", rec.Code)
	}
	msgs := outbox(a.t, a.store, email)
	if len(msgs) == 0 {
		a.t.Fatalf("no mail to %s", email)
	}
	link := manageLinkRe.FindString(msgs[len(msgs)-1].Body)
	if link == "" {
		a.t.Fatalf("no manage link in:\n%s", msgs[len(msgs)-1].Body)
	}
	return strings.TrimPrefix(link, "http://charter.test")
}

// actions lists the actions of a signatory's audit events, oldest first.
func actions(events []models.AuditEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, string(e.Action))
	}
	return out
}

// lastEvent returns the latest audit event of a signatory with this action, and its detail.
func lastEvent(t *testing.T, a *app, id int64, action models.Action) (models.AuditEvent, map[string]map[string]string) {
	t.Helper()
	var found *models.AuditEvent
	for _, e := range a.auditOf(id) {
		if e.Action == action {
			found = &e
		}
	}
	if found == nil {
		t.Fatalf("no %s event in %v", action, actions(a.auditOf(id)))
	}
	var detail map[string]map[string]string
	_ = json.Unmarshal([]byte(found.Detail), &detail) // other keys than before and after are not maps
	return *found, detail
}

// approvedOrg is an approved signatory whose contact is at its website's domain.
func approvedOrg(t *testing.T, a *app) *models.Signatory {
	return dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
		s.Name, s.Slug = "Kinderschutzbund", "kinderschutzbund"
		s.Country, s.Website, s.WebsiteDomain = "DE", "https://www.kinderschutzbund.de", "kinderschutzbund.de"
		s.ContactName, s.ContactEmail = "Lea Vogel", "lea@kinderschutzbund.de"
		s.Statement = "We protect children online."
	})
}

func TestStatementChangeIsPublicAtOnce(t *testing.T) {
	a := newApp(t)
	sig := approvedOrg(t, a)
	link := a.manageLink(sig.ContactEmail)

	// The public page is cached before the change; the change shows at once all the same.
	if got := text(doc(t, a.get("/signatories/kinderschutzbund")).Find("blockquote.statement")); got != sig.Statement {
		t.Fatalf("public statement before: %q", got)
	}
	for lang, page := range map[views.Lang]string{views.English: link, views.Russian: "/ru" + link} {
		rec := a.get(page)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", page, rec.Code)
		}
		assertNoLeaks(t, lang, rec.Body.String())
	}
	ru := doc(t, a.get("/ru"+link))
	if got := text(ru.Find("#statement-heading")); got != "Заявление об обязательствах" {
		t.Errorf("the Russian manage page: %q", got)
	}
	rec := a.do(http.MethodPost, link+"/statement", url.Values{"statement": {"  We protect children online,\r\nand we publish what we do.  "}})
	if rec.Code != http.StatusSeeOther || location(rec) != link+"?done=statement" {
		t.Fatalf("POST statement = %d %q", rec.Code, location(rec))
	}
	if got := text(doc(t, a.get(location(rec))).Find(".flash")); got != "Saved: your new statement is on your public page." {
		t.Errorf("flash %q", got)
	}
	const want = "We protect children online,\nand we publish what we do."
	for _, page := range []string{"/signatories/kinderschutzbund", "/ru/signatories/kinderschutzbund"} {
		if got := doc(t, a.get(page)).Find("blockquote.statement").Text(); got != want {
			t.Errorf("%s shows %q", page, got)
		}
	}
	e, detail := lastEvent(t, a, sig.ID, models.ActionStatementChanged)
	if e.Actor != models.ActorContact || detail["before"]["statement"] != sig.Statement || detail["after"]["statement"] != want {
		t.Errorf("audit %+v %v", e, detail)
	}
	// The link still works, and the same statement again changes nothing.
	rec = a.do(http.MethodPost, link+"/statement", url.Values{"statement": {want}})
	if location(rec) != link+"?done=unchanged" {
		t.Errorf("the same statement again: %d %q", rec.Code, location(rec))
	}
	n := len(a.auditOf(sig.ID))

	// A statement the sign-up form refuses is refused with its words, beside the field.
	rec = a.do(http.MethodPost, link+"/statement", url.Values{"statement": {strings.Repeat("ж", 1001)}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a long statement = %d, want 422", rec.Code)
	}
	if got := text(doc(t, rec).Find("#statement-error")); got != "Error: The commitment statement must be 1,000 characters or fewer" {
		t.Errorf("beside the field: %q", got)
	}
	if got := a.signatory(sig.ID).Statement; got != want || len(a.auditOf(sig.ID)) != n {
		t.Errorf("a refused statement changed something: %q", got)
	}
}

// Each wrong answer the sign-up form refuses is refused by the manage page's forms with the same
// words, status 422, and nothing is stored.
func TestSelfServiceRefusesWhatSignupRefuses(t *testing.T) {
	a := newApp(t)
	sig := approvedOrg(t, a)
	link := a.manageLink(sig.ContactEmail)
	valid := url.Values{"name": {"Kinderschutzbund e.V."}, "country": {"DE"}, "website": {"https://kinderschutzbund.de"}}
	for _, tc := range publicFieldCases() {
		action := link + "/change"
		form := url.Values{}
		for k, v := range valid {
			form[k] = v
		}
		switch tc.field {
		case "statement":
			action, form = link+"/statement", url.Values{}
		case "category":
			continue // not the contact's to change
		}
		form.Set(tc.field, tc.value)
		rec := a.do(http.MethodPost, action, form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s=%.30q: %d, want 422", tc.field, tc.value, rec.Code)
			continue
		}
		if got := text(doc(t, rec).Find("#" + tc.field + "-error")); got != "Error: "+tc.want {
			t.Errorf("%s=%.30q: beside the field %q, want %q", tc.field, tc.value, got, tc.want)
		}
	}
	for _, tc := range []struct{ field, value, want string }{
		{"contact-name", "", "Enter your full name"},
		{"contact-role", "Boss\r\n", "Your role must not contain control characters or invisible formatting characters"},
		{"contact-email", "anna@example.org\r\nBcc: victim@example.org", "Enter one email address in the correct format, like name@example.org"},
	} {
		form := url.Values{"contact-name": {"Jonas Berg"}, "contact-role": {"Director"}, "contact-email": {"jonas@kinderschutzbund.de"}}
		form.Set(tc.field, tc.value)
		rec := a.do(http.MethodPost, link+"/handover", form)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.field, rec.Code)
			continue
		}
		if got := text(doc(t, rec).Find("#" + tc.field + "-error")); got != "Error: "+tc.want {
			t.Errorf("%s: beside the field %q", tc.field, got)
		}
	}
	got := a.signatory(sig.ID)
	var proposals, handovers int64
	a.store.DB.Model(&models.Proposal{}).Count(&proposals)
	a.store.DB.Model(&models.Handover{}).Count(&handovers)
	if got.Name != sig.Name || got.Statement != sig.Statement || proposals != 0 || handovers != 0 ||
		len(outbox(t, a.store, "jonas@kinderschutzbund.de")) != 0 {
		t.Errorf("refused forms changed something: %+v, %d proposals, %d hand-overs", got, proposals, handovers)
	}
	if acts := actions(a.auditOf(sig.ID)); len(acts) != 1 || acts[0] != "manage_link_sent" {
		t.Errorf("audit after refused forms: %v", acts)
	}
}

// An application not yet decided has no entry to keep current: the forms are not shown and
// their POSTs are refused.
func TestSelfServiceNeedsAnApprovedSignature(t *testing.T) {
	a := newApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusPending, nil)
	link := a.manageLink(sig.ContactEmail)
	if n := doc(t, a.get(link)).Find("#statement-heading").Length(); n != 0 {
		t.Error("an open application's manage page offers self-service")
	}
	rec := a.do(http.MethodPost, link+"/statement", url.Values{"statement": {"New"}})
	if rec.Code != http.StatusConflict || a.signatory(sig.ID).Statement != sig.Statement {
		t.Errorf("statement of a pending application = %d", rec.Code)
	}
}

// proposeName proposes a new name on the manage page, keeping the website and country.
func proposeName(t *testing.T, a *app, link string, sig *models.Signatory, name string) {
	t.Helper()
	rec := a.do(http.MethodPost, link+"/change", url.Values{"name": {name}, "country": {sig.Country}, "website": {sig.Website}})
	if rec.Code != http.StatusSeeOther || location(rec) != link+"?done=proposed" {
		t.Fatalf("POST change = %d %q\n%s", rec.Code, location(rec), rec.Body.String())
	}
}

func TestNameProposalIsPublicOnlyAfterApproval(t *testing.T) {
	a := newAdminApp(t)
	sig := approvedOrg(t, a)
	other := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.Name = "Deutscher Kinderschutzbund" })
	link := a.manageLink(sig.ContactEmail)

	// A first proposal, then a second that replaces it.
	proposeName(t, a, link, sig, "Kinderschutz Bund")
	proposeName(t, a, link, sig, "Deutscher  Kinderschutzbund")
	var open []models.Proposal
	a.store.DB.Where("status = ?", models.ProposalOpen).Find(&open)
	if len(open) != 1 || open[0].Name != "Deutscher Kinderschutzbund" {
		t.Fatalf("open proposals: %+v", open)
	}
	if acts := actions(a.auditOf(sig.ID)); strings.Count(strings.Join(acts, " "), "change_proposed") != 2 {
		t.Errorf("audit %v", acts)
	}
	if got := text(doc(t, a.get(link)).Find(".proposal-waiting ins")); !contains(got, "Deutscher Kinderschutzbund") {
		t.Errorf("the manage page shows the waiting proposal as %q", got)
	}

	// The public keeps the old name.
	page := "/signatories/kinderschutzbund"
	if got := text(doc(t, a.get(page)).Find("h1")); got != "Kinderschutzbund" {
		t.Fatalf("public name before approval: %q", got)
	}

	// The queue shows it beside the applications, the difference marked, flagged as the name of
	// another signatory.
	a.signIn()
	q := doc(t, a.get("/admin"))
	row := q.Find(`article.proposal[data-id="` + itoa(open[0].ID) + `"]`)
	if got := text(row.Find(`li[data-field="name"] del`)); got != "was Kinderschutzbund" {
		t.Errorf("old value %q", got)
	}
	if got := text(row.Find(`li[data-field="name"] ins`)); got != "becomes Deutscher Kinderschutzbund" {
		t.Errorf("new value %q", got)
	}
	if row.Find(`li[data-field="website"]`).Length() != 0 {
		t.Error("an unchanged field is shown as changed")
	}
	if flag := row.Find(`.flag[data-kind="duplicate_name"] a`); flag.AttrOr("href", "") != "/admin/signatories/"+itoa(other.ID) {
		t.Errorf("same-name flag: %q", text(row.Find(".flags")))
	}

	rec := a.post("/admin/proposals/"+itoa(open[0].ID)+"/approve", nil)
	if rec.Code != http.StatusSeeOther || location(rec) != "/admin" {
		t.Fatalf("approve = %d %q", rec.Code, location(rec))
	}
	if got := text(doc(t, a.get("/admin")).Find(".flash")); !contains(got, "Deutscher Kinderschutzbund now shows the change") {
		t.Errorf("flash %q", got)
	}

	// Public at once, at the same address, with the former name and its date in both languages.
	d := doc(t, a.get(page))
	if got := text(d.Find("h1")); got != "Deutscher Kinderschutzbund" {
		t.Errorf("public name after approval: %q", got)
	}
	if got := text(d.Find(".former-names")); got != "Formerly Kinderschutzbund (until 1 March 2026)" {
		t.Errorf("former name: %q", got)
	}
	ruPage := a.get("/ru" + page)
	if got := text(doc(t, ruPage).Find(".former-names")); got != "Прежнее название — «Kinderschutzbund» (до 1 марта 2026 г.)" {
		t.Errorf("former name in Russian: %q", got)
	}
	assertNoLeaks(t, views.Russian, ruPage.Body.String())
	got := a.signatory(sig.ID)
	if got.Slug != "kinderschutzbund" || got.NameKey != models.NameKey("Deutscher Kinderschutzbund") {
		t.Errorf("after approval: %+v", got)
	}
	e, detail := lastEvent(t, a, sig.ID, models.ActionProposalApproved)
	if e.Actor != models.ActorAdmin || e.AdminID == nil || detail["before"]["name"] != "Kinderschutzbund" ||
		detail["after"]["name"] != "Deutscher Kinderschutzbund" {
		t.Errorf("audit %+v %v", e, detail)
	}
	mails := outbox(t, a.store, sig.ContactEmail)
	m := mails[len(mails)-1]
	if m.Subject != "Your organisation's entry has been updated" || !contains(m.Body, "Name: Kinderschutzbund → Deutscher Kinderschutzbund") {
		t.Errorf("mail %q\n%s", m.Subject, m.Body)
	}
	// Decided: the queue no longer lists it, and a second approval does nothing.
	if n := doc(t, a.get("/admin")).Find("article.proposal").Length(); n != 0 {
		t.Errorf("%d proposals still listed", n)
	}
	a.post("/admin/proposals/"+itoa(open[0].ID)+"/approve", nil)
	if n := len(outbox(t, a.store, sig.ContactEmail)); n != len(mails) {
		t.Errorf("a second approval mailed again")
	}
}

func TestRejectedProposalKeepsTheEntryAndMailsTheReason(t *testing.T) {
	a := newAdminApp(t)
	sig := approvedOrg(t, a)
	a.store.DB.Model(sig).Update("lang", "ru")
	link := a.manageLink(sig.ContactEmail) // in Russian, the contact's language
	if !strings.HasPrefix(link, "/ru/manage/") {
		t.Fatalf("manage link %q", link)
	}
	rec := a.do(http.MethodPost, link+"/change", url.Values{"name": {sig.Name}, "country": {"AT"}, "website": {sig.Website}})
	if rec.Code != http.StatusSeeOther || location(rec) != link+"?done=proposed" {
		t.Fatalf("POST change = %d %q", rec.Code, location(rec))
	}
	var p models.Proposal
	a.store.DB.Take(&p)
	a.signIn()

	// Without a reason: refused beside its field, nothing decided.
	rec = a.post("/admin/proposals/"+itoa(p.ID)+"/reject", url.Values{"reason": {"  "}})
	if rec.Code != http.StatusUnprocessableEntity || text(doc(t, rec).Find("#proposal-reason-"+itoa(p.ID)+"-error")) == "" {
		t.Fatalf("reject without a reason = %d", rec.Code)
	}
	rec = a.post("/admin/proposals/"+itoa(p.ID)+"/reject", url.Values{"reason": {"Your registration is in Germany."}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("reject = %d", rec.Code)
	}
	if got := a.signatory(sig.ID); got.Country != "DE" {
		t.Errorf("a rejected proposal changed the country to %s", got.Country)
	}
	if got := text(doc(t, a.get("/signatories/kinderschutzbund")).Find(".signatory-details")); !contains(got, "Germany") {
		t.Errorf("public page: %q", got)
	}
	e, _ := lastEvent(t, a, sig.ID, models.ActionProposalRejected)
	if e.Reason != "Your registration is in Germany." {
		t.Errorf("audit %+v", e)
	}
	mails := outbox(t, a.store, sig.ContactEmail)
	m := mails[len(mails)-1]
	if m.Subject != "Об изменении, которое вы предложили для записи организации" ||
		!contains(m.Body, "Your registration is in Germany.") || !contains(m.Body, "Страна: Германия → Австрия") {
		t.Errorf("mail %q\n%s", m.Subject, m.Body)
	}
}

// A website proposal, once approved, keeps or clears the domain's verification as a reviewer's
// edit does (models.domainAfterEdit).
func TestWebsiteProposalFollowsTheDomainRule(t *testing.T) {
	for _, tc := range []struct {
		website  string
		verified string
	}{
		{"https://kinderschutzbund.de/en/", "kinderschutzbund.de"}, // same domain: kept
		{"https://www.kinderschutz.org", ""},                       // another: cleared
	} {
		t.Run(tc.website, func(t *testing.T) {
			a := newAdminApp(t)
			now := a.clock.Now()
			sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) {
				s.Name, s.Website, s.WebsiteDomain = "Kinderschutzbund", "https://www.kinderschutzbund.de", "kinderschutzbund.de"
				s.ContactEmail = "lea@kinderschutzbund.de"
				s.VerifiedDomain, s.DomainVerifiedAt, s.DomainVerifiedBy = "kinderschutzbund.de", &now, models.DomainByEmail
			})
			link := a.manageLink(sig.ContactEmail)
			rec := a.do(http.MethodPost, link+"/change", url.Values{"name": {sig.Name}, "country": {sig.Country}, "website": {tc.website}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("POST change = %d", rec.Code)
			}
			var p models.Proposal
			a.store.DB.Take(&p)
			if got := a.signatory(sig.ID); got.Website != sig.Website || got.VerifiedDomain != "kinderschutzbund.de" {
				t.Fatalf("the proposal changed the entry before approval: %+v", got)
			}
			a.signIn()
			if tc.verified == "" {
				row := doc(t, a.get("/admin")).Find("article.proposal")
				if row.Find(`.flag[data-kind="email_domain_mismatch"]`).Length() != 1 {
					t.Errorf("no mismatch flag on a new domain: %q", text(row))
				}
			}
			a.post("/admin/proposals/"+itoa(p.ID)+"/approve", nil)
			got := a.signatory(sig.ID)
			if got.Website != tc.website || got.VerifiedDomain != tc.verified {
				t.Errorf("website %q, verified %q; want %q", got.Website, got.VerifiedDomain, tc.verified)
			}
			verified := doc(t, a.get("/signatories/"+sig.Slug)).Find(".verified-domain").Length() > 0
			if verified != (tc.verified != "") {
				t.Errorf("public page shows verified: %v", verified)
			}
		})
	}
}

func TestHandoverToANewContact(t *testing.T) {
	a := newApp(t)
	sig := approvedOrg(t, a)
	oldLink := a.manageLink(sig.ContactEmail)
	const newEmail = "jonas.berg@kinderschutzbund.de"

	rec := a.do(http.MethodPost, oldLink+"/handover", url.Values{
		"contact-name": {"Jonas Berg"}, "contact-role": {"Director"}, "contact-email": {"Jonas.Berg@Kinderschutzbund.de"}})
	if rec.Code != http.StatusSeeOther || location(rec) != oldLink+"?done=handover" {
		t.Fatalf("POST handover = %d %q", rec.Code, location(rec))
	}
	if got := text(doc(t, a.get(oldLink)).Find(".handover-waiting")); !contains(got, newEmail) {
		t.Errorf("the manage page says of the waiting hand-over: %q", got)
	}
	// Asking again at once sends nothing more.
	rec = a.do(http.MethodPost, oldLink+"/handover", url.Values{
		"contact-name": {"Jonas Berg"}, "contact-role": {"Director"}, "contact-email": {newEmail}})
	if rec.Code != http.StatusTooManyRequests || doc(t, rec).Find(".handover-limited").Length() != 1 {
		t.Errorf("a second hand-over at once = %d", rec.Code)
	}
	msgs := outbox(t, a.store, newEmail)
	if len(msgs) != 1 || contains(msgs[0].Body, "Jonas") {
		t.Fatalf("mails to the new address: %+v", msgs)
	}
	link := strings.TrimPrefix(regexp.MustCompile(`http://charter\.test/handover/[A-Za-z0-9_-]{43}`).FindString(msgs[0].Body), "http://charter.test")

	// Opening the link changes nothing; the old contact is still the contact.
	for range 2 {
		if got := text(doc(t, a.get(link)).Find(".lead")); !contains(got, "Kinderschutzbund") {
			t.Errorf("hand-over page: %q", got)
		}
	}
	if got := a.signatory(sig.ID); got.ContactEmail != sig.ContactEmail {
		t.Fatalf("opening the link handed over")
	}

	for lang, page := range map[views.Lang]string{views.English: link, views.Russian: "/ru" + link} {
		assertNoLeaks(t, lang, a.get(page).Body.String())
	}
	rec = a.do(http.MethodPost, "/ru"+link, url.Values{})
	if rec.Code != http.StatusSeeOther || location(rec) != "/ru/handed-over" {
		t.Fatalf("confirm = %d %q", rec.Code, location(rec))
	}
	assertNoLeaks(t, views.Russian, a.get("/ru/handed-over").Body.String())
	got := a.signatory(sig.ID)
	if got.ContactName != "Jonas Berg" || got.ContactRole != "Director" || got.ContactEmail != newEmail || got.Lang != "ru" {
		t.Errorf("after the hand-over: %+v", got)
	}
	e, detail := lastEvent(t, a, sig.ID, models.ActionHandedOver)
	if e.Actor != models.ActorContact || detail["before"]["contact-email"] != sig.ContactEmail || detail["after"]["contact-email"] != newEmail {
		t.Errorf("audit %+v %v", e, detail)
	}

	// The old contact's link is dead for every use, and the old contact is told.
	if rec := a.get(oldLink); rec.Code != http.StatusGone {
		t.Errorf("old manage link = %d, want 410", rec.Code)
	}
	if rec := a.do(http.MethodPost, oldLink+"/statement", url.Values{"statement": {"Hijacked"}}); rec.Code != http.StatusGone {
		t.Errorf("old link's statement form = %d, want 410", rec.Code)
	}
	if rec := a.do(http.MethodPost, oldLink, url.Values{}); rec.Code != http.StatusGone || a.signatory(sig.ID).Status != models.StatusApproved {
		t.Errorf("old link's withdrawal = %d", rec.Code)
	}
	told := outbox(t, a.store, sig.ContactEmail)
	if m := told[len(told)-1]; m.Subject != "You are no longer the contact for your organisation's signature" || !contains(m.Body, "Jonas Berg") {
		t.Errorf("mail to the old contact %q\n%s", m.Subject, m.Body)
	}
	// The hand-over link works once.
	if rec := a.do(http.MethodPost, link, url.Values{}); rec.Code != http.StatusGone {
		t.Errorf("second confirmation = %d, want 410", rec.Code)
	}

	// The new contact asks for manage links at /manage at once (the link the old contact was
	// mailed minutes ago does not hold them up), and they work.
	a.sendForm("/manage", "/manage", url.Values{"email": {newEmail}})
	msgs = outbox(t, a.store, newEmail)
	if len(msgs) != 2 {
		t.Fatalf("%d mails to the new contact, want the hand-over link and a manage link", len(msgs))
	}
	newLink := strings.TrimPrefix(manageLinkRe.FindString(msgs[len(msgs)-1].Body), "http://charter.test")
	if rec := a.get(newLink); rec.Code != http.StatusOK {
		t.Fatalf("the new contact's manage link = %d", rec.Code)
	}
	rec = a.do(http.MethodPost, newLink+"/statement", url.Values{"statement": {"Jonas was here."}})
	if rec.Code != http.StatusSeeOther || a.signatory(sig.ID).Statement != "Jonas was here." {
		t.Errorf("the new contact's statement = %d", rec.Code)
	}
}

// Two reviewers approve the same proposal at once: one applies it, one mail goes.
func TestConcurrentApprovalOfAProposal(t *testing.T) {
	a := newAdminApp(t)
	sig := approvedOrg(t, a)
	link := a.manageLink(sig.ContactEmail)
	proposeName(t, a, link, sig, "Kinderschutzbund Deutschland")
	var p models.Proposal
	a.store.DB.Take(&p)

	const reviewers = 6
	type session struct {
		cookies map[string]*http.Cookie
		csrf    string
	}
	sessions := make([]session, reviewers)
	for i := range sessions {
		b := a.browser()
		b.signIn()
		sessions[i] = session{b.cookies, b.csrf()}
	}
	before := len(outbox(t, a.store, sig.ContactEmail))
	codes := make([]int, reviewers)
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := httptestRequest(http.MethodPost, "/admin/proposals/"+itoa(p.ID)+"/approve", url.Values{"_csrf": {s.csrf}}, s.cookies)
			r.Header.Set("Sec-Fetch-Site", "same-origin")
			codes[i] = serve(a.router, r).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("reviewer %d: %d", i, c)
		}
	}
	var approved int
	for _, e := range a.auditOf(sig.ID) {
		if e.Action == models.ActionProposalApproved {
			approved++
		}
	}
	var former int64
	a.store.DB.Model(&models.FormerName{}).Count(&former)
	if n := len(outbox(t, a.store, sig.ContactEmail)) - before; n != 1 || approved != 1 || former != 1 {
		t.Errorf("%d mails, %d approvals recorded, %d former names; want 1 each", n, approved, former)
	}
}

// After a hand-over the old contact can no longer re-affirm for the organisation either.
func TestHandoverEndsTheOldContactsReaffirmLink(t *testing.T) {
	a := newAdminApp(t)
	first := versionedApp(t, a)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = first.Version })
	a.publish("2.0", true)
	reaffirm := pathOf(t, reaffirmLink.FindString(outbox(t, a.store, sig.ContactEmail)[0].Body))

	const newEmail = "new.contact@example.org"
	oldLink := a.manageLink(sig.ContactEmail)
	if rec := a.do(http.MethodPost, oldLink+"/handover", url.Values{
		"contact-name": {"New Contact"}, "contact-role": {"Director"}, "contact-email": {newEmail}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("POST handover = %d", rec.Code)
	}
	link := strings.TrimPrefix(regexp.MustCompile(`http://charter\.test/handover/[A-Za-z0-9_-]{43}`).FindString(outbox(t, a.store, newEmail)[0].Body), "http://charter.test")
	if rec := a.do(http.MethodPost, link, url.Values{}); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm hand-over = %d", rec.Code)
	}
	if rec := a.do(http.MethodPost, reaffirm, url.Values{}); rec.Code != http.StatusGone {
		t.Errorf("the old contact's re-affirmation link after the hand-over = %d, want 410", rec.Code)
	}
	if got := a.signatory(sig.ID); got.ReaffirmedAt != nil {
		t.Errorf("re-affirmed by the old contact at %v", got.ReaffirmedAt)
	}
}
