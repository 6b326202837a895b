// Package dbtest is test support: a real, freshly migrated database of the test's own (a SQLite
// file, or with CHARTER_TEST_DB=postgres a PostgreSQL database), and the clock and log buffer
// tests wire into the store and the handlers.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"charter/models"
)

// New opens a new database of the test's own (NewDSN), with the real migrations applied, and
// closes it when the test ends. now is the store's clock; nil means time.Now.
func New(t testing.TB, now func() time.Time) *models.Store {
	t.Helper()
	return Open(t, NewDSN(t), now)
}

// NewDSN makes a new, migrated database for the test and returns what opens it (models.Open, or
// Open to open it again): a SQLite file in t.TempDir(), or with CHARTER_TEST_DB=postgres a
// database of the package's throwaway PostgreSQL server, dropped when the test ends.
func NewDSN(t testing.TB) string {
	t.Helper()
	if Postgres() {
		return newPostgresDSN(t)
	}
	return filepath.Join(t.TempDir(), "charter.db")
}

// EmptyDSN makes a new database for the test without any migration applied, for tests of the
// migrations themselves.
func EmptyDSN(t testing.TB) string {
	t.Helper()
	if Postgres() {
		return newPostgresDatabase(t, "template0")
	}
	return filepath.Join(t.TempDir(), "charter.db")
}

// Open opens and migrates the database at dsn (a SQLite file's path or a PostgreSQL URL),
// closing it when the test ends.
func Open(t testing.TB, dsn string, now func() time.Time) *models.Store {
	t.Helper()
	ctx := context.Background()
	s, err := models.Open(ctx, dsn, now)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return s
}
