package models

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// schemaObject is one row of sqlite_master.
type schemaObject struct{ Type, Name, TblName, SQL string }

func schemaOf(t *testing.T, s *Store) map[string]schemaObject {
	t.Helper()
	var rows []schemaObject
	if err := s.DB.Raw("SELECT type, name, tbl_name, COALESCE(sql, '') AS sql FROM sqlite_master").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := make(map[string]schemaObject, len(rows))
	for _, r := range rows {
		out[r.Type+" "+r.Name] = r
	}
	return out
}

// TestMigration0015KeepsEverything migrates a database with signatories in every state, their
// tokens, flags, mail and audit events to 0014, then applies 0015 (the table rebuild) and checks
// that the schema is the same but for the category constraint, that every row and id is kept,
// nothing that refers to a signatory lost (foreign keys were off: with them on, dropping the old
// table deletes its tokens and flags), and that the triggers of the search, the counts and the
// public state still work on the new table.
func TestMigration0015KeepsEverything(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "charter.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.migrate(ctx, 14); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if err := s.DB.Exec(sql, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	now := s.Now()
	for i, r := range []struct {
		id             int64
		name, category string
		status         Status
	}{
		{7, "Kids Online", "academia", StatusApproved},
		{9, "Фонд «Дети онлайн»", "civil_society", StatusApproved},
		{12, "Pending Trust", "business", StatusPending},
		{40, "Gone Ltd", "business", StatusWithdrawn},
	} {
		var approved any
		if r.status != StatusPending {
			approved = now
		}
		exec(`INSERT INTO signatories (id, slug, name, name_key, name_skeleton, category, country, website, website_domain,
			contact_name, contact_role, contact_email, status, charter_version, lang, created_at, updated_at, approved_at)
			VALUES (?, ?, ?, ?, ?, ?, 'FR', 'https://example.org', 'example.org', 'C', 'R', ?, ?, 'v1', 'ru', ?, ?, ?)`,
			r.id, "s"+string(rune('a'+i)), r.name, NameKey(r.name), NameSkeleton(r.name), r.category,
			"c"+string(rune('a'+i))+"@example.org", r.status, now, now, approved)
	}
	exec("INSERT INTO tokens (signatory_id, purpose, hash, created_at, expires_at) VALUES (12, 'confirm', 'h1', ?, ?), (7, 'manage', 'h2', ?, ?)", now, now, now, now)
	exec("INSERT INTO signatory_flags (signatory_id, kind, other_id, created_at) VALUES (12, 'duplicate_domain', 7, ?)", now)
	exec("INSERT INTO outbox (created_at, to_addr, subject, body, next_attempt_at, signatory_id) VALUES (?, 'c@example.org', 's', 'b', ?, 9)", now, now)
	exec("INSERT INTO audit_events (created_at, actor, signatory_id, action) VALUES (?, 'system', 12, 'submitted')", now)
	// What a later migration might add: a trigger elsewhere and a view that name the table.
	exec("CREATE TRIGGER tokens_touch AFTER INSERT ON tokens BEGIN UPDATE signatories SET updated_at = updated_at WHERE id = NEW.signatory_id; END")
	exec("CREATE VIEW approved_names AS SELECT id, name FROM signatories WHERE status = 'approved'")

	type counts struct{ Tokens, Flags, FlagOthers, Outbox, Audit, Version int64 }
	count := func() counts {
		t.Helper()
		var c counts
		err := s.DB.Raw(`SELECT (SELECT COUNT(*) FROM tokens) AS tokens, (SELECT COUNT(*) FROM signatory_flags) AS flags,
			(SELECT COUNT(other_id) FROM signatory_flags) AS flag_others, (SELECT COUNT(signatory_id) FROM outbox) AS outbox,
			(SELECT COUNT(*) FROM audit_events) AS audit, (SELECT version FROM public_state) AS version`).Scan(&c).Error
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	rows := func() []Signatory {
		t.Helper()
		var sigs []Signatory
		if err := s.DB.Order("id").Find(&sigs).Error; err != nil {
			t.Fatal(err)
		}
		return sigs
	}
	beforeSchema, beforeRows, beforeCounts := schemaOf(t, s), rows(), count()
	var beforeApproved []CategoryCount
	s.DB.Raw("SELECT category, n AS count FROM approved_counts ORDER BY category").Scan(&beforeApproved)

	if err := s.migrate(ctx, 15); err != nil {
		t.Fatal(err)
	}

	// The schema: the same objects with the same SQL, but for the constraint.
	afterSchema := schemaOf(t, s)
	for k, b := range beforeSchema {
		a, ok := afterSchema[k]
		if !ok {
			t.Errorf("lost %s", k)
			continue
		}
		if k == "table signatories" {
			b.SQL = strings.Replace(b.SQL, "'civil_society', 'academia'", "'civil_society', 'education', 'academia'", 1)
			a.SQL = strings.Replace(a.SQL, `CREATE TABLE "signatories"`, "CREATE TABLE signatories", 1)
		}
		if a != b {
			t.Errorf("%s changed:\n%+v\n%+v", k, b, a)
		}
	}
	for k := range afterSchema {
		if _, ok := beforeSchema[k]; !ok {
			t.Errorf("new object %s", k)
		}
	}
	if got := rows(); !reflect.DeepEqual(got, beforeRows) {
		t.Errorf("rows changed:\n%+v\n%+v", beforeRows, got)
	}
	want := beforeCounts
	want.Version++ // the home page lists one more category
	if got := count(); got != want {
		t.Errorf("tokens, flags, mail, audit, public state: %+v, want %+v", got, want)
	}
	var afterApproved []CategoryCount
	s.DB.Raw("SELECT category, n AS count FROM approved_counts ORDER BY category").Scan(&afterApproved)
	if !reflect.DeepEqual(afterApproved, beforeApproved) {
		t.Errorf("approved counts %v, want %v", afterApproved, beforeApproved)
	}
	var check string
	s.DB.Raw("PRAGMA integrity_check").Scan(&check)
	if check != "ok" {
		t.Errorf("integrity_check: %s", check)
	}
	var fkOn int
	s.DB.Raw("PRAGMA foreign_keys").Scan(&fkOn)
	if fkOn != 1 {
		t.Error("foreign keys are still off on a connection of the pool")
	}

	// The triggers work on the new table.
	search := func(match string) []int64 {
		t.Helper()
		var ids []int64
		s.DB.Raw("SELECT docid FROM signatory_search WHERE signatory_search MATCH ? ORDER BY docid", match).Scan(&ids)
		return ids
	}
	if got := search("дети"); !reflect.DeepEqual(got, []int64{9}) {
		t.Errorf("search finds %v, want [9]", got)
	}
	v := count().Version
	exec(`INSERT INTO signatories (id, slug, name, name_key, category, country, website, website_domain,
		contact_name, contact_role, contact_email, status, charter_version, created_at, updated_at, approved_at)
		VALUES (41, 'school', 'Школа № 57', 'школа 57', 'education', 'RU', 'https://example.ru', 'example.ru',
		'C', 'R', 'school@example.ru', 'approved', 'v1', ?, ?, ?)`, now, now, now)
	if got := search("школа"); !reflect.DeepEqual(got, []int64{41}) {
		t.Errorf("search finds the new school as %v", got)
	}
	exec("UPDATE signatories SET name = 'Kids Offline', name_key = 'kids offline' WHERE id = 7")
	if got := search("offline"); !reflect.DeepEqual(got, []int64{7}) {
		t.Errorf("search after a rename: %v", got)
	}
	var education int64
	s.DB.Raw("SELECT n FROM approved_counts WHERE category = 'education' AND country = 'RU'").Scan(&education)
	if education != 1 {
		t.Errorf("approved_counts has %d schools, want 1", education)
	}
	if count().Version <= v {
		t.Error("a new approved signatory did not change the public state")
	}
	if err := s.DB.Exec("UPDATE signatories SET category = 'schools' WHERE id = 41").Error; err == nil {
		t.Error("the constraint lets an unknown category in")
	}
	var viewed int64
	s.DB.Raw("SELECT COUNT(*) FROM approved_names").Scan(&viewed)
	if viewed != 3 {
		t.Errorf("the view sees %d approved signatories, want 3", viewed)
	}
	exec("DELETE FROM signatories WHERE id = 12")
	if got := count(); got.Tokens != 1 || got.Flags != 0 {
		t.Errorf("deleting a signatory no longer cascades: %+v", got)
	}
}

// The database accepts exactly the categories the application knows.
func TestCategoryConstraintMatchesCategories(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "charter.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	insert := func(i int, c Category) error {
		return s.DB.Exec(`INSERT INTO signatories (slug, name, name_key, category, country, website, website_domain,
			contact_name, contact_role, contact_email, status, charter_version, created_at, updated_at)
			VALUES (?, 'N', 'n', ?, 'FR', 'https://example.org', 'example.org', 'C', 'R', ?, 'pending', 'v1', ?, ?)`,
			"s"+string(rune('a'+i)), string(c), "c"+string(rune('a'+i))+"@example.org", s.Now(), s.Now()).Error
	}
	for i, c := range Categories {
		if err := insert(i, c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	if err := insert(len(Categories), "schools"); err == nil {
		t.Error("an unknown category was stored")
	}
}
