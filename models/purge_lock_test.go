package models_test

import (
	"context"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// TestPurgeRunsOnOneInstanceAtATime: while another instance holds the purge lock, PurgeExpired
// skips its turn and deletes nothing; once it is free, it purges.
func TestPurgeRunsOnOneInstanceAtATime(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("on SQLite one process has the database: there is no lock to take")
	}
	ctx := context.Background()
	dsn := dbtest.NewDSN(t)
	s, other := dbtest.Open(t, dsn, nil), dbtest.Open(t, dsn, nil)
	now := s.Now()
	if err := s.DB.Exec("INSERT INTO used_stamps (hash, expires_at) VALUES ('h', ?)", now.Add(-time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
	stamps := func() (n int64) {
		s.DB.Table("used_stamps").Count(&n)
		return n
	}

	tx := other.DB.Begin()
	if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", models.PurgeLock).Error; err != nil {
		t.Fatal(err)
	}
	p, err := s.PurgeExpired(ctx, now)
	if err != nil || !p.Skipped || stamps() != 1 {
		t.Fatalf("with the lock held elsewhere: %+v, %v, %d stamps left; want skipped, 1", p, err, stamps())
	}
	tx.Rollback()

	p, err = s.PurgeExpired(ctx, now)
	if err != nil || p.Skipped || p.UsedStamps != 1 || stamps() != 0 {
		t.Fatalf("with the lock free: %+v, %v, %d stamps left; want 1 purged", p, err, stamps())
	}
	// The lock was let go: the other instance purges next.
	if p, err := other.PurgeExpired(ctx, now); err != nil || p.Skipped {
		t.Fatalf("the other instance after: %+v, %v", p, err)
	}
}
