package models

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestMigration0013VerifiesExistingByEmail stores signatories as they were before migration 0013
// and checks that those whose confirmed contact email is at their website's domain are verified,
// as of their confirmation, and no other; a second run changes nothing.
func TestMigration0013VerifiesExistingByEmail(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "charter.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.migrate(ctx, 12); err != nil {
		t.Fatal(err)
	}
	confirmed := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	rows := []struct {
		domain, email, status string
		confirmed             bool
		want                  string
	}{
		{"school12.ru", "head@school12.ru", "approved", true, "school12.ru"},
		{"acme.co.uk", "boss@mail.acme.co.uk", "pending", true, "acme.co.uk"},
		{"xn--e1afmkfd.xn--p1ai", "info@пример.рф", "withdrawn", true, "xn--e1afmkfd.xn--p1ai"},
		{"globex.org", "hank@gmail.com", "approved", true, ""},
		{"initech.com", "bill@initech.com", "submitted", false, ""}, // never confirmed
	}
	for i, r := range rows {
		var at any
		if r.confirmed {
			at = confirmed
		}
		err := s.DB.Exec(`INSERT INTO signatories (slug, name, name_key, category, country, website, website_domain,
			contact_name, contact_role, contact_email, status, charter_version, created_at, updated_at, confirmed_at)
			VALUES (?, 'N', 'n', 'academia', 'FR', ?, ?, 'C', 'R', ?, ?, 'v1', ?, ?, ?)`,
			"s"+strconv.Itoa(i), "https://"+r.domain, r.domain, r.email, r.status, confirmed, confirmed, at).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	var before int
	s.DB.Raw("SELECT version FROM public_state").Scan(&before)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		var got []Signatory
		if err := s.DB.Order("id").Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			g := got[i]
			if g.VerifiedDomain != r.want {
				t.Errorf("%s: %s at %s: verified %q, want %q", when, r.email, r.domain, g.VerifiedDomain, r.want)
			}
			if r.want != "" && (g.DomainVerifiedBy != DomainByEmail || g.DomainVerifiedAt == nil || !g.DomainVerifiedAt.Equal(confirmed)) {
				t.Errorf("%s: %s verified by %q at %v, want by email at the confirmation", when, r.email, g.DomainVerifiedBy, g.DomainVerifiedAt)
			}
		}
	}
	check("after migrating")
	var after int
	s.DB.Raw("SELECT version FROM public_state").Scan(&after)
	if after <= before {
		t.Errorf("public state %d -> %d: the cached public pages would not show the verification", before, after)
	}
	if err := s.DB.Transaction(verifyExistingByEmail); err != nil {
		t.Fatal(err)
	}
	check("after running the step again")
	var again int
	s.DB.Raw("SELECT version FROM public_state").Scan(&again)
	if again != after {
		t.Errorf("the second run wrote rows: public state %d -> %d", after, again)
	}
}

// BenchmarkMigration0013 times the migration's Go step on a database of 100,000 confirmed
// signatories, each with its contact email at its website's domain, so that every row is
// verified (the worst case: a real database verifies some of its rows).
//
//	go test -run '^$' -bench Migration0013 -benchtime 1x ./models/
func BenchmarkMigration0013(b *testing.B) {
	const rows = 100_000
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), "charter.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.migrate(ctx, 12); err != nil {
			b.Fatal(err)
		}
		if err := s.Seed(ctx, rows, SeedOptions{CharterVersion: "v1", Seed: 1}); err != nil {
			b.Fatal(err)
		}
		if err := s.DB.Exec("UPDATE signatories SET website_domain = 'org' || id || '.org', contact_email = 'head@org' || id || '.org'").Error; err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		var n int64
		s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE verified_domain <> ''").Scan(&n)
		if n != rows {
			b.Fatalf("%d verified, want %d", n, rows)
		}
		s.Close()
	}
}
