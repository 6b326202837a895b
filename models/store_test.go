package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"charter/models"
	"charter/models/dbtest"
)

func TestMigrateFreshAndAgain(t *testing.T) {
	ctx := context.Background()
	path := dbtest.NewDSN(t)
	s := dbtest.Open(t, path, nil)

	ms, err := models.Migrations(s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	countApplied := func() int {
		var n int
		if err := s.DB.Raw("SELECT COUNT(*) FROM schema_migrations").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := countApplied(); got != len(ms) || got == 0 {
		t.Fatalf("applied %d migrations, want %d", got, len(ms))
	}
	for _, table := range []string{"signatories", "signatory_flags", "tokens", "audit_events", "outbox", "admins", "sessions"} {
		if !s.DB.Migrator().HasTable(table) {
			t.Errorf("table %s missing after migration", table)
		}
	}

	// Running the migrations again, in this process or a new one, changes nothing.
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	s.Close()
	s = dbtest.Open(t, path, nil)
	if got := countApplied(); got != len(ms) {
		t.Fatalf("after re-running: %d migrations recorded, want %d", got, len(ms))
	}
}

func TestMigrationsAreNumberedAndNamed(t *testing.T) {
	for _, dialect := range []string{models.SQLite, models.Postgres} {
		ms, err := models.Migrations(dialect)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range ms {
			if m.Version <= 0 || (i > 0 && m.Version <= ms[i-1].Version) {
				t.Errorf("%s migration %d has version %d: versions must be positive and ascending", dialect, i, m.Version)
			}
			if strings.TrimSpace(m.SQL) == "" || m.Name == "" {
				t.Errorf("%s migration %d is empty or unnamed", dialect, m.Version)
			}
		}
	}
}

// Every schema change exists for both databases, under the same version and name: a migration
// added to one folder alone fails here.
func TestMigrationFoldersMatch(t *testing.T) {
	lite, err := models.Migrations(models.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := models.Migrations(models.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []models.Migration) []string {
		var out []string
		for _, m := range ms {
			out = append(out, fmt.Sprintf("%04d_%s", m.Version, m.Name))
		}
		return out
	}
	// A migration left in the folder both used to share would be embedded by neither.
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			t.Errorf("migrations/%s: move it to migrations/sqlite and write its PostgreSQL form in migrations/postgres", e.Name())
		}
	}
	if a, b := names(lite), names(pg); !slices.Equal(a, b) {
		t.Errorf("migrations/sqlite has %v,\nmigrations/postgres has %v: write each migration for both", a, b)
	}
}

// The DSN options must hold on every connection of the pool, not just the first one.
func TestDSNOptionsOnEveryPooledConnection(t *testing.T) {
	dbtest.SkipOnPostgres(t, "the options are SQLite pragmas")
	ctx := context.Background()
	s := dbtest.New(t, nil)
	db := s.SQL()
	const n = 4
	db.SetMaxIdleConns(n)

	// Hold n connections at once so the pool must open n distinct ones.
	conns := make([]*sql.Conn, n)
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			var journal string
			var busy, fk, syncMode int
			for pragma, dst := range map[string]any{"journal_mode": &journal, "busy_timeout": &busy, "foreign_keys": &fk, "synchronous": &syncMode} {
				if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(dst); err != nil {
					t.Errorf("conn %d: PRAGMA %s: %v", i, pragma, err)
				}
			}
			if journal != "wal" || busy != 5000 || fk != 1 || syncMode != 1 {
				t.Errorf("conn %d: journal_mode=%s busy_timeout=%d foreign_keys=%d synchronous=%d; want wal 5000 1 1",
					i, journal, busy, fk, syncMode)
			}
		}()
	}
	wg.Wait()
	if open := db.Stats().OpenConnections; open < n {
		t.Fatalf("only %d connections were opened; the test must see %d", open, n)
	}
}

func TestAuditEventsAreAppendOnly(t *testing.T) {
	s := dbtest.New(t, nil)
	e := models.AuditEvent{CreatedAt: s.Now(), Actor: models.ActorSystem, Action: "test"}
	if err := s.DB.Create(&e).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.DB.Exec("UPDATE audit_events SET action = 'changed'").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("update of an audit event: err = %v, want append-only refusal", err)
	}
	if err := s.DB.Exec("DELETE FROM audit_events").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("delete of an audit event: err = %v, want append-only refusal", err)
	}
	if s.Dialect() == models.Postgres {
		if err := s.DB.Exec("TRUNCATE audit_events").Error; err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("truncate of the audit log: err = %v, want append-only refusal", err)
		}
	}
}

func TestCharterVersionFollowsContent(t *testing.T) {
	a, err := models.NewCharter([]byte("# Charter\n\n## Principles\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := models.NewCharter([]byte("# Charter\n\n## Principles!\n"), nil)
	if a.Version == b.Version || len(a.Version) != 12 {
		t.Errorf("versions %q and %q: want two different 12-character hashes", a.Version, b.Version)
	}
	if !strings.Contains(a.HTML, `<h2 id="principles">`) {
		t.Errorf("headings need anchors; got %s", a.HTML)
	}
}

func TestSecretIsCreatedOnceAndKept(t *testing.T) {
	ctx := context.Background()
	path := dbtest.NewDSN(t)
	s := dbtest.Open(t, path, nil)
	a, err := s.Secret(ctx, "form")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.Secret(ctx, "form")
	other, _ := s.Secret(ctx, "other")
	if len(a) != 32 || string(a) != string(b) || string(a) == string(other) {
		t.Fatalf("secrets: %x %x %x", a, b, other)
	}
	s.Close()
	again, _ := dbtest.Open(t, path, nil).Secret(ctx, "form")
	if string(again) != string(a) {
		t.Error("the secret changed across a restart")
	}
}

// A file name may hold characters that mean something in a URI.
func TestDatabasePathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd #1? 100%")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "charter.db")
	s := dbtest.Open(t, path, nil)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not where it was asked for: %v", err)
	}
	var journal string
	s.DB.Raw("PRAGMA journal_mode").Scan(&journal)
	if journal != "wal" {
		t.Errorf("the options were lost: journal_mode=%s", journal)
	}
}

// Instances started together on a new database all migrate it: each migration is applied once,
// and none of them fails.
func TestConcurrentMigrations(t *testing.T) {
	ctx := context.Background()
	dsn := dbtest.EmptyDSN(t)
	const instances = 4
	stores := make([]*models.Store, instances)
	for i := range stores {
		s, err := models.Open(ctx, dsn, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	var wg sync.WaitGroup
	errs := make([]error, instances)
	for i, s := range stores {
		wg.Go(func() { errs[i] = s.Migrate(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
	ms, _ := models.Migrations(stores[0].Dialect())
	var n int
	stores[0].DB.Raw("SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	if n != len(ms) {
		t.Errorf("%d migrations recorded, want %d", n, len(ms))
	}
}
