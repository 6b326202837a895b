package models_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// letters is a models.Letters that writes the link into the body, nothing else.
type letters struct{}

func (letters) ConfirmLink(_ *models.Signatory, path string) (string, string) { return "confirm", path }
func (letters) AlreadyPending(*models.Signatory) (string, string)             { return "pending", "" }
func (letters) NewApplication(s *models.Signatory, lang string) (string, string) {
	return "new", s.Name + " " + lang
}
func (letters) ManageLink(_ *models.Signatory, path string) (string, string) { return "manage", path }
func (letters) Withdrawn(*models.Signatory) (string, string)                 { return "withdrawn", "" }
func (letters) Approved(s *models.Signatory) (string, string)                { return "approved", s.Name }
func (letters) Rejected(_ *models.Signatory, reason string) (string, string) {
	return "rejected", reason
}
func (letters) Revoked(_ *models.Signatory, reason string) (string, string) { return "revoked", reason }

func application(name, website, email string) models.Application {
	app, errs := models.ApplicationInput{
		PublicInput: models.PublicInput{Name: name, Category: "business", Country: "FR", Website: website},
		ContactName: "Camille", ContactRole: "CEO", ContactEmail: email,
	}.Normalize()
	if len(errs) > 0 {
		panic(fmt.Sprint(errs))
	}
	return app
}

func submit(t *testing.T, s *models.Store, app models.Application) (models.Signatory, string) {
	t.Helper()
	if _, err := s.Submit(context.Background(), app, "v1", letters{}); err != nil {
		t.Fatal(err)
	}
	var sig models.Signatory
	if err := s.DB.Where("contact_email = ?", app.ContactEmail).Order("id DESC").Take(&sig).Error; err != nil {
		t.Fatal(err)
	}
	var body string
	s.DB.Table("outbox").Where("to_addr = ? AND subject = 'confirm'", app.ContactEmail).Order("id DESC").Limit(1).Pluck("body", &body)
	return sig, body[len("/confirm/"):]
}

func TestSubmitFlagsDuplicatesAndMismatches(t *testing.T) {
	s := dbtest.New(t, nil)
	approved := dbtest.AddSignatory(t, s, models.StatusApproved, func(sig *models.Signatory) {
		sig.Name, sig.ContactEmail, sig.WebsiteDomain = "Acme", "boss@acme.fr", "acme.fr"
	})
	pending := dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) {
		sig.Name, sig.ContactEmail, sig.WebsiteDomain = "ACME!", "other@acme.fr", "acme.fr"
	})
	dbtest.AddSignatory(t, s, models.StatusRejected, func(sig *models.Signatory) {
		sig.Name, sig.ContactEmail, sig.WebsiteDomain = "Acme", "boss@acme.fr", "acme.fr"
	})

	sig, _ := submit(t, s, application("  acme ", "https://shop.acme.fr", "boss@acme.fr"))
	flags, err := s.Flags(context.Background(), sig.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range flags {
		got = append(got, fmt.Sprintf("%s:%d", f.Kind, *f.OtherID))
	}
	sort.Strings(got)
	want := []string{
		fmt.Sprintf("duplicate_domain:%d", approved.ID), fmt.Sprintf("duplicate_domain:%d", pending.ID),
		fmt.Sprintf("duplicate_email:%d", approved.ID),
		fmt.Sprintf("duplicate_name:%d", approved.ID), fmt.Sprintf("duplicate_name:%d", pending.ID),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("flags %v, want %v (the rejected one is not a duplicate)", got, want)
	}

	// A contact on a free-mail domain: flagged, not refused.
	other, _ := submit(t, s, application("Globex", "https://globex.co.uk", "Hank@Gmail.COM"))
	flags, _ = s.Flags(context.Background(), other.ID)
	if len(flags) != 1 || flags[0].Kind != models.FlagEmailDomainMismatch || flags[0].OtherID != nil {
		t.Errorf("flags %+v, want one email_domain_mismatch", flags)
	}
	if other.ContactEmail != "hank@gmail.com" {
		t.Errorf("email stored as %q, want it lower-cased", other.ContactEmail)
	}
	// The same address in other capitals is the same contact: no second application.
	outcome, err := s.Submit(context.Background(), application("Globex Ltd", "https://globex.co.uk", "HANK@gmail.com"), "v1", letters{})
	if err != nil || outcome == models.SubmitCreated {
		t.Errorf("HANK@gmail.com: outcome %v, %v; want the open application found", outcome, err)
	}
	// The same registrable domain is no mismatch.
	third, _ := submit(t, s, application("Initech", "https://www.initech.co.uk", "peter@mail.initech.co.uk"))
	if flags, _ := s.Flags(context.Background(), third.ID); len(flags) != 0 {
		t.Errorf("flags %+v, want none", flags)
	}
}

// TestSubmitFlagsLookAlikeNames: a name that differs from a signatory's only by look-alike
// letters of another script is flagged as the same name (issue 10).
func TestSubmitFlagsLookAlikeNames(t *testing.T) {
	s := dbtest.New(t, nil)
	fresh := dbtest.AddSignatory(t, s, models.StatusApproved, func(sig *models.Signatory) { sig.Name = "Fresh Org 1" })
	cases := []struct {
		name    string
		flagged bool
	}{
		{"Frеsh Оrg 1", true}, // Cyrillic е and О
		{"FRESH ΟRG l", true}, // Greek Omicron, "l" for "1"
		{"Ｆｒｅｓｈ Org 1", true}, // full-width
		{"Fresh Org 2", false},
	}
	for i, tc := range cases {
		sig, _ := submit(t, s, application(tc.name, fmt.Sprintf("https://site%d.example.org", i), fmt.Sprintf("c%d@example.org", i)))
		flags, err := s.Flags(context.Background(), sig.ID)
		if err != nil {
			t.Fatal(err)
		}
		flagged := false
		for _, f := range flags {
			if f.Kind == models.FlagDuplicateName && *f.OtherID == fresh.ID {
				flagged = true
			}
		}
		if flagged != tc.flagged {
			t.Errorf("%q: flagged as the same name as %q: %v, want %v", tc.name, fresh.Name, flagged, tc.flagged)
		}
		if sig.NameKey != models.NameKey(tc.name) {
			t.Errorf("%q: name_key %q: search keeps its own key", tc.name, sig.NameKey)
		}
	}
}

func TestSlugsAreUnique(t *testing.T) {
	s := dbtest.New(t, nil)
	var slugs []string
	for i, name := range []string{"Acme", "ACME", "acme!", "北京", "東京"} {
		sig, _ := submit(t, s, application(name, "https://acme.fr", fmt.Sprintf("c%d@acme.fr", i)))
		slugs = append(slugs, sig.Slug)
	}
	if fmt.Sprint(slugs) != "[acme acme-2 acme-3 org org-2]" {
		t.Errorf("slugs %v", slugs)
	}
}

func TestConfirmRacesOnlyOnce(t *testing.T) {
	s := dbtest.New(t, nil)
	sig, token := submit(t, s, application("Acme", "https://acme.fr", "boss@acme.fr"))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = s.Confirm(context.Background(), token, true, letters{}) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if err != models.ErrTokenUsed {
			t.Errorf("a losing confirm got %v, want ErrTokenUsed", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d confirmations succeeded, want exactly 1", ok)
	}
	var n int64
	s.DB.Model(&models.AuditEvent{}).Where("signatory_id = ? AND action = 'confirmed'", sig.ID).Count(&n)
	if n != 1 {
		t.Errorf("%d confirmed events", n)
	}
}

func TestPurgeDeletesStaleApplicationsOnly(t *testing.T) {
	c := dbtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	ctx := context.Background()
	if err := s.DB.Exec(`INSERT INTO admins (email, password_hash, created_at) VALUES ('a@charter.test', 'x', ?)`, c.Now()).Error; err != nil {
		t.Fatal(err)
	}

	stale, _ := submit(t, s, application("Stale", "https://stale.fr", "x@stale.fr"))
	dup, _ := submit(t, s, application("Stale", "https://stale.fr", "y@other.fr")) // with flags
	confirmed, token := submit(t, s, application("Confirmed", "https://ok.fr", "x@ok.fr"))
	if _, err := s.Confirm(ctx, token, true, letters{}); err != nil {
		t.Fatal(err)
	}
	c.Add(6 * 24 * time.Hour)
	fresh, _ := submit(t, s, application("Fresh", "https://fresh.fr", "x@fresh.fr"))

	if n, err := s.PurgeUnconfirmed(ctx, c.Now()); err != nil || n != 0 {
		t.Fatalf("purge after 6 days: %d, %v; want nothing", n, err)
	}
	c.Add(24*time.Hour + time.Second)
	n, err := s.PurgeUnconfirmed(ctx, c.Now())
	if err != nil || n != 2 {
		t.Fatalf("purge after 7 days: %d, %v; want the two stale applications", n, err)
	}

	count := func(table, where string, args ...any) int64 {
		var n int64
		if err := s.DB.Table(table).Where(where, args...).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, id := range []int64{stale.ID, dup.ID} {
		if count("signatories", "id = ?", id) != 0 || count("tokens", "signatory_id = ?", id) != 0 ||
			count("signatory_flags", "signatory_id = ?", id) != 0 || count("outbox", "signatory_id = ?", id) != 0 {
			t.Errorf("signatory %d: something of it is left", id)
		}
		var ev models.AuditEvent
		if err := s.DB.Where("signatory_id = ? AND action = 'purged'", id).Take(&ev).Error; err != nil {
			t.Fatalf("no purge event for %d: %v", id, err)
		}
		if ev.Actor != models.ActorSystem || ev.Reason != "" || ev.Detail != "" || ev.AdminID != nil {
			t.Errorf("purge event holds more than the id and the action: %+v", ev)
		}
	}
	if count("outbox", "to_addr IN ?", []string{"x@stale.fr", "y@other.fr"}) != 0 {
		t.Error("the purged contacts' addresses are still in the outbox")
	}
	for _, id := range []int64{confirmed.ID, fresh.ID} {
		if count("signatories", "id = ?", id) != 1 {
			t.Errorf("signatory %d was purged", id)
		}
	}
	if count("outbox", "to_addr = 'a@charter.test'") != 1 {
		t.Error("the administrators' notice went with the purge")
	}
}

func TestWithdrawAndLinkLimits(t *testing.T) {
	c := dbtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	ctx := context.Background()
	sig := dbtest.AddSignatory(t, s, models.StatusApproved, nil)
	if err := s.RequestManageLink(ctx, sig.ContactEmail, letters{}); err != nil {
		t.Fatal(err)
	}
	var body string
	s.DB.Table("outbox").Where("subject = 'manage'").Pluck("body", &body)
	token := body[len("/manage/"):]
	if _, err := s.SignatoryForToken(ctx, token, models.PurposeConfirm); err != models.ErrTokenUnknown {
		t.Errorf("a manage token works as a confirmation token: %v", err)
	}
	got, err := s.Withdraw(ctx, token, letters{})
	if err != nil || got.Status != models.StatusWithdrawn || got.WithdrawnAt == nil {
		t.Fatalf("withdraw: %+v, %v", got, err)
	}
	if _, err := s.Withdraw(ctx, token, letters{}); err != models.ErrTokenUsed {
		t.Errorf("second withdrawal: %v", err)
	}
}

func TestPurgeSentMailKeepsWhatIsOwedOrRecent(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := now.Add(-d); return &v }
	msgs := map[string]*models.OutboxMessage{
		"sent long ago":   {ToAddr: "old@example.org", SentAt: at(31 * 24 * time.Hour)},
		"sent recently":   {ToAddr: "recent@example.org", SentAt: at(29 * 24 * time.Hour)},
		"never sent, old": {ToAddr: "owed@example.org"},
		"never sent, new": {ToAddr: "new@example.org"},
	}
	for _, m := range msgs {
		m.CreatedAt, m.NextAttemptAt, m.Subject, m.Body = now.Add(-40*24*time.Hour), now, "s", "b"
		if err := s.DB.Create(m).Error; err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.PurgeSentMail(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	var left []string
	s.DB.Model(&models.OutboxMessage{}).Order("to_addr").Pluck("to_addr", &left)
	if strings.Join(left, " ") != "new@example.org owed@example.org recent@example.org" {
		t.Errorf("left in the outbox: %v", left)
	}
}

// The hourly purge runs every clean-up at once: a stale application and an expired form stamp go,
// a fresh stamp stays.
func TestPurgeExpiredRunsEveryCleanUp(t *testing.T) {
	c := dbtest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	ctx := context.Background()
	submit(t, s, application("Stale", "https://stale.fr", "x@stale.fr"))
	for stamp, expires := range map[string]time.Time{"old": c.Now().Add(time.Hour), "fresh": c.Now().Add(9 * 24 * time.Hour)} {
		if ok, err := s.UseStamp(ctx, stamp, expires); err != nil || !ok {
			t.Fatalf("stamp %s: %v %v", stamp, ok, err)
		}
	}
	c.Add(7*24*time.Hour + time.Second)
	p, err := s.PurgeExpired(ctx, c.Now())
	if err != nil || p.Applications != 1 || p.UsedStamps != 1 {
		t.Fatalf("purged %+v, %v; want the stale application and the old stamp", p, err)
	}
	if ok, err := s.UseStamp(ctx, "fresh", c.Now().Add(time.Hour)); err != nil || ok {
		t.Errorf("the fresh stamp was forgotten: %v %v", ok, err)
	}
}
