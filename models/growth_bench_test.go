package models_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// BenchmarkGrowth reads the growth chart's months from a database of seeded signatories
// (CHARTER_BENCH_SIGNATORIES, 100,000 by default), whose approvals spread over three years.
func BenchmarkGrowth(b *testing.B) {
	n := 100000
	if v, err := strconv.Atoi(os.Getenv("CHARTER_BENCH_SIGNATORIES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	s := dbtest.New(b, nil)
	if err := s.Seed(ctx, n, models.SeedOptions{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Growth(ctx, now); err != nil {
			b.Fatal(err)
		}
	}
}
