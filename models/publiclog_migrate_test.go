package models

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"charter/publiclog"
)

// Migration 0011 starts the log with what was already public, in the order it happened, and
// nothing of what never was.
func TestMigration0011BackfillsThePublicLog(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "charter.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.migrate(ctx, 10); err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2025, 1, d, 12, 0, 0, 0, time.UTC) }
	for _, r := range []struct {
		slug            string
		status          Status
		approved, ended int
		endColumn       string
	}{
		{"late", StatusApproved, 5, 0, ""},
		{"withdrew", StatusWithdrawn, 1, 3, "withdrawn_at"},
		{"revoked", StatusRevoked, 2, 4, "revoked_at"},
		{"pending", StatusPending, 0, 0, ""},
		{"rejected", StatusRejected, 0, 0, ""},
	} {
		var approvedAt, withdrawnAt, revokedAt any
		if r.approved > 0 {
			approvedAt = day(r.approved)
		}
		switch r.endColumn {
		case "withdrawn_at":
			withdrawnAt = day(r.ended)
		case "revoked_at":
			revokedAt = day(r.ended)
		}
		err := s.DB.Exec(`INSERT INTO signatories (slug, name, name_key, category, country, website, website_domain,
			contact_name, contact_role, contact_email, status, charter_version, created_at, updated_at, approved_at, withdrawn_at, revoked_at)
			VALUES (?, ?, ?, 'academia', 'FR', 'https://x.org', 'x.org', 'C', 'R', ?, ?, 'v1', ?, ?, ?, ?, ?)`,
			r.slug, "Org "+r.slug, "org "+r.slug, r.slug+"@x.org", r.status, day(1), day(1), approvedAt, withdrawnAt, revokedAt).Error
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	size, root, err := s.LogHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := s.LogEntries(ctx, 0, size)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var tree publiclog.TreeBuilder
	for _, text := range texts {
		e, err := publiclog.ParseEntry(text)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(e.Event)+" "+e.Slug+" "+e.Time.Format("02"))
		tree.Add(text)
	}
	want := []string{"approve withdrew 01", "approve revoked 02", "withdraw withdrew 03", "revoke revoked 04", "approve late 05"}
	if !slices.Equal(got, want) {
		t.Errorf("entries %q, want %q", got, want)
	}
	if tree.Hash() != root {
		t.Error("the entries do not hash to the stored tree")
	}
}
