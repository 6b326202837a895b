package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

func TestPasswordHashesAreSaltedArgon2id(t *testing.T) {
	a, err := models.HashPassword("same password here")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := models.HashPassword("same password here")
	if a == b || !strings.HasPrefix(a, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hashes %q and %q: want salted argon2id PHC strings", a, b)
	}
}

func TestLoginCountsFailuresPerAccount(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s := dbtest.New(t, func() time.Time { return now })
	ctx := context.Background()
	if _, err := s.CreateAdmin(ctx, "a@example.org", "twelve chars!"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := s.Login(ctx, "a@example.org", "wrong password", "192.0.2.1"); !errors.Is(err, models.ErrLoginFailed) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	var a models.Admin
	s.DB.Take(&a)
	if a.FailedLogins != 5 || a.LockedUntil == nil || !a.LockedUntil.Equal(now.Add(time.Minute)) {
		t.Errorf("after 5 failures: %d, locked until %v", a.FailedLogins, a.LockedUntil)
	}
	// A locked account's failures do not extend the lock.
	s.Login(ctx, "a@example.org", "wrong password", "192.0.2.1")
	s.DB.Take(&a)
	if a.FailedLogins != 5 {
		t.Errorf("failures counted while locked: %d", a.FailedLogins)
	}
}

// The two failures an attacker could tell apart by timing: both hash a password once.
func BenchmarkLoginFailure(b *testing.B) {
	s := dbtest.New(b, nil)
	ctx := context.Background()
	if _, err := s.CreateAdmin(ctx, "a@example.org", "twelve chars!"); err != nil {
		b.Fatal(err)
	}
	for _, email := range []string{"a@example.org", "unknown@example.org"} {
		b.Run(email, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				// A fresh address each time so the per-address lock-out does not kick in.
				s.Login(ctx, email, "wrong password", "192.0.2."+string(rune('a'+i%26))+string(rune('a'+i/26%26)))
			}
		})
	}
}
