package models_test

import (
	"context"
	"strings"
	"testing"

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
