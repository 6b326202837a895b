package models_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"charter/models"
	"charter/models/dbtest"
)

func reload(t *testing.T, s *models.Store, id int64) models.Signatory {
	t.Helper()
	var sig models.Signatory
	if err := s.DB.Take(&sig, id).Error; err != nil {
		t.Fatal(err)
	}
	return sig
}

// Confirming an email at the website's registrable domain verifies the domain; another domain,
// or no confirmation yet, does not.
func TestConfirmVerifiesDomainByEmail(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	cases := []struct {
		website, email, want string
	}{
		{"https://www.school12.example.ru", "head@school12.example.ru", "example.ru"},
		{"https://www.acme.co.uk/about", "boss@mail.acme.co.uk", "acme.co.uk"},
		{"https://пример.рф", "info@пример.рф", "xn--e1afmkfd.xn--p1ai"},
		{"https://globex.org", "hank@gmail.com", ""},
		{"https://acme.github.io", "boss@acme.github.io", "acme.github.io"}, // github.io is a public suffix
		{"https://acme.github.io", "boss@github.com", ""},
	}
	for _, tc := range cases {
		sig, token := submit(t, s, application("Org "+tc.email, tc.website, tc.email))
		if got := reload(t, s, sig.ID); got.VerifiedDomain != "" {
			t.Errorf("%s: verified before the email was confirmed", tc.email)
		}
		if _, err := s.Confirm(ctx, token, false, letters{}); err != nil {
			t.Fatal(err)
		}
		got := reload(t, s, sig.ID)
		if got.VerifiedDomain != tc.want {
			t.Errorf("%s at %s: verified %q, want %q", tc.email, tc.website, got.VerifiedDomain, tc.want)
		}
		if tc.want != "" && (got.DomainVerifiedBy != models.DomainByEmail || got.DomainVerifiedAt == nil || !got.DomainVerified()) {
			t.Errorf("%s: method %q at %v", tc.email, got.DomainVerifiedBy, got.DomainVerifiedAt)
		}
	}
}

// A reviewer's edit of the website keeps a verification that still matches, clears one that does
// not, and verifies by email when the new website is at the contact's domain.
func TestEditOfWebsiteRederivesVerification(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	sig := dbtest.AddSignatory(t, s, models.StatusApproved, func(sig *models.Signatory) {
		sig.Website, sig.WebsiteDomain, sig.ContactEmail = "https://acme.fr", "acme.fr", "boss@gmail.com"
	})
	if err := s.VerifyDomainByFile(ctx, sig.ID, "acme.fr"); err != nil {
		t.Fatal(err)
	}
	edit := func(website string) models.Signatory {
		t.Helper()
		cur := reload(t, s, sig.ID)
		f := models.PublicFieldsOf(&cur)
		in := models.PublicInput{Name: f.Name, Category: string(f.Category), Country: f.Country, Website: website, Statement: f.Statement}
		pub, errs := in.Normalize()
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if _, err := s.EditSignatory(ctx, sig.ID, 1, pub); err != nil {
			t.Fatal(err)
		}
		return reload(t, s, sig.ID)
	}
	if got := edit("https://www.acme.fr/en"); got.VerifiedDomain != "acme.fr" || got.DomainVerifiedBy != models.DomainByFile {
		t.Errorf("same domain: verified %q by %q, want it kept", got.VerifiedDomain, got.DomainVerifiedBy)
	}
	if got := edit("https://acme-other.fr"); got.VerifiedDomain != "" || got.DomainVerifiedBy != "" || got.DomainVerifiedAt != nil {
		t.Errorf("another domain: verified %q by %q at %v, want it cleared", got.VerifiedDomain, got.DomainVerifiedBy, got.DomainVerifiedAt)
	}
	if got := edit("https://gmail.com"); got.VerifiedDomain != "gmail.com" || got.DomainVerifiedBy != models.DomainByEmail {
		t.Errorf("website at the contact's domain: verified %q by %q", got.VerifiedDomain, got.DomainVerifiedBy)
	}
}

// Verifying by file records who and when, and refuses once the website moved meanwhile.
func TestVerifyDomainByFile(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	sig := dbtest.AddSignatory(t, s, models.StatusPending, func(sig *models.Signatory) { sig.WebsiteDomain = "acme.fr" })
	if err := s.VerifyDomainByFile(ctx, sig.ID, "other.fr"); !errors.Is(err, models.ErrDomainChanged) {
		t.Errorf("another domain: %v, want ErrDomainChanged", err)
	}
	if err := s.VerifyDomainByFile(ctx, sig.ID, "acme.fr"); err != nil {
		t.Fatal(err)
	}
	got := reload(t, s, sig.ID)
	if got.VerifiedDomain != "acme.fr" || got.DomainVerifiedBy != models.DomainByFile || got.DomainVerifiedAt == nil {
		t.Errorf("verified %q by %q at %v", got.VerifiedDomain, got.DomainVerifiedBy, got.DomainVerifiedAt)
	}
	var ev models.AuditEvent
	if err := s.DB.Where("signatory_id = ? AND action = ?", sig.ID, models.ActionDomainVerified).Take(&ev).Error; err != nil {
		t.Fatalf("no audit event: %v", err)
	}
	if ev.Actor != models.ActorContact || ev.FromStatus != models.StatusPending {
		t.Errorf("audit event %+v", ev)
	}
	rejected := dbtest.AddSignatory(t, s, models.StatusRejected, func(sig *models.Signatory) { sig.WebsiteDomain = "acme.fr" })
	if err := s.VerifyDomainByFile(ctx, rejected.ID, "acme.fr"); !errors.Is(err, models.ErrDomainChanged) {
		t.Errorf("a rejected signatory: %v, want ErrDomainChanged", err)
	}
}

// The token is the same every time for a signatory and its domain, and differs for another.
func TestDomainToken(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	a := dbtest.AddSignatory(t, s, models.StatusPending, nil)
	b := dbtest.AddSignatory(t, s, models.StatusPending, nil)
	ta, _ := s.DomainToken(ctx, a)
	again, _ := s.DomainToken(ctx, a)
	tb, _ := s.DomainToken(ctx, b)
	moved := *a
	moved.WebsiteDomain = "elsewhere.org"
	tm, _ := s.DomainToken(ctx, &moved)
	if ta == "" || ta != again || ta == tb || ta == tm || len(ta) < 32 {
		t.Errorf("tokens %q %q %q %q", ta, again, tb, tm)
	}
	for _, file := range []string{ta, ta + "\n", "\uFEFF" + ta + "\r\n", "charter-other\n  " + ta + "  \nmore"} {
		if !models.TokenListed([]byte(file), ta) {
			t.Errorf("%q does not list the token", file)
		}
	}
	for _, file := range []string{"", tb, "x" + ta, ta[:len(ta)-1]} {
		if models.TokenListed([]byte(file), ta) {
			t.Errorf("%q lists the token", file)
		}
	}
}

// The checks of one signatory are limited however many arrive at once.
func TestTakeDomainCheckIsAtomic(t *testing.T) {
	ctx := context.Background()
	s := dbtest.New(t, nil)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.TakeDomainCheck(ctx, 42, "acme.fr")
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := allowed.Load(); n != int64(models.DomainCheckPerSignatory.Count) {
		t.Errorf("%d checks allowed, want %d", n, models.DomainCheckPerSignatory.Count)
	}
	// The domain has its own limit, across signatories; a refused check takes nothing.
	for id := int64(100); id < int64(100+models.DomainCheckPerDomain.Count-models.DomainCheckPerSignatory.Count); id++ {
		if ok, _ := s.TakeDomainCheck(ctx, id, "acme.fr"); !ok {
			t.Fatalf("signatory %d refused early", id)
		}
	}
	for range models.DomainCheckPerSignatory.Count {
		if ok, _ := s.TakeDomainCheck(ctx, 999, "acme.fr"); ok {
			t.Fatal("the domain's limit did not hold")
		}
	}
	if ok, _ := s.TakeDomainCheck(ctx, 999, "other.fr"); !ok {
		t.Error("checks the domain's limit refused counted against the signatory")
	}
}
