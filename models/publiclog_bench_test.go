package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"charter/publiclog"
)

// BenchmarkAppendLog measures one append to the public log (its own transaction), and reading
// the checkpoint's tree hash after it, on a log that grows to b.N entries.
func BenchmarkAppendLog(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "charter.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	e := LogEvent{Event: publiclog.EventApproved, SignatoryID: 1, Slug: "friends-of-children", Name: "Friends of Children",
		Country: "DE", CharterVersion: "3f6c0a9e5d"}
	b.ResetTimer()
	for b.Loop() {
		err := s.DB.Transaction(func(tx *gorm.DB) error {
			_, err := appendLog(tx, now, e)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.LogHead(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
