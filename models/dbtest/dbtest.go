// Package dbtest is test support: a real, freshly migrated SQLite database of the test's own,
// and the clock and log buffer tests wire into the store and the handlers.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"charter/models"
)

// New opens a new SQLite file in t.TempDir(), applies the real migrations and closes it when the
// test ends. now is the store's clock; nil means time.Now.
func New(t testing.TB, now func() time.Time) *models.Store {
	t.Helper()
	return Open(t, filepath.Join(t.TempDir(), "charter.db"), now)
}

// Open opens and migrates the database file at path, closing it when the test ends.
func Open(t testing.TB, path string, now func() time.Time) *models.Store {
	t.Helper()
	ctx := context.Background()
	s, err := models.Open(ctx, path, now)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return s
}
