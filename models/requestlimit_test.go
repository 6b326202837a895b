package models_test

import (
	"context"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

// A request allowance holds its burst, then refills one request per interval, tells the truthful
// wait while it is spent, and is purged once full again.
func TestRequestAllowanceRefillsAndIsPurged(t *testing.T) {
	ctx := context.Background()
	c := dbtest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	rule := models.RequestRule{Name: "forms", Every: 20 * time.Second, Burst: 3}

	for i := range 3 {
		if ok, _, err := s.TakeRequest(ctx, rule, "192.0.2.1"); err != nil || !ok {
			t.Fatalf("request %d: ok %v, %v", i+1, ok, err)
		}
	}
	ok, wait, err := s.TakeRequest(ctx, rule, "192.0.2.1")
	if err != nil || ok || wait != 20*time.Second {
		t.Fatalf("fourth request: ok %v, wait %v, %v; want refused, 20s", ok, wait, err)
	}
	if ok, _, _ := s.TakeRequest(ctx, rule, "192.0.2.2"); !ok {
		t.Error("another client was refused")
	}
	if ok, _, _ := s.TakeRequest(ctx, models.RequestRule{Name: "sign-in", Every: time.Second, Burst: 1}, "192.0.2.1"); !ok {
		t.Error("another group of forms was refused")
	}
	c.Add(5 * time.Second)
	if _, wait, _ := s.TakeRequest(ctx, rule, "192.0.2.1"); wait != 15*time.Second {
		t.Errorf("five seconds on: wait %v, want 15s", wait)
	}
	c.Add(15 * time.Second)
	if ok, _, _ := s.TakeRequest(ctx, rule, "192.0.2.1"); !ok {
		t.Error("refused after the wait")
	}

	if n, err := s.PurgeRequestLimits(ctx, c.Now()); err != nil || n != 2 {
		t.Errorf("purge now: %d rows, %v; want the two full allowances", n, err)
	}
	if n, err := s.PurgeRequestLimits(ctx, c.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("purge an hour on: %d rows, %v; want the spent one", n, err)
	}
}
