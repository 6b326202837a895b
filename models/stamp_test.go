package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charter/models/dbtest"
)

// Of many concurrent uses of one stamp, exactly one is the first; another stamp is unaffected.
func TestUseStampOnceUnderConcurrency(t *testing.T) {
	s := dbtest.New(t, nil)
	ctx := context.Background()
	expires := time.Now().Add(time.Hour)
	var first atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ok, err := s.UseStamp(ctx, "stamp-one", expires)
			if err != nil {
				t.Error(err)
			}
			if ok {
				first.Add(1)
			}
		})
	}
	wg.Wait()
	if n := first.Load(); n != 1 {
		t.Fatalf("%d of 8 concurrent uses were first, want 1", n)
	}
	if ok, err := s.UseStamp(ctx, "stamp-two", expires); err != nil || !ok {
		t.Fatalf("another stamp: first=%v, %v", ok, err)
	}
}

// The purge forgets only the stamps that have expired.
func TestPurgeUsedStamps(t *testing.T) {
	s := dbtest.New(t, nil)
	ctx := context.Background()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	if _, err := s.UseStamp(ctx, "old", now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UseStamp(ctx, "live", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	n, err := s.PurgeUsedStamps(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	if ok, _ := s.UseStamp(ctx, "live", now.Add(time.Minute)); ok {
		t.Error("a live stamp was forgotten by the purge")
	}
	if ok, _ := s.UseStamp(ctx, "old", now.Add(time.Minute)); !ok {
		t.Error("an expired stamp was kept by the purge")
	}
}
