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

// A new administrator works in English; SetAdminLang changes it, and refuses what is no code.
func TestAdminLanguage(t *testing.T) {
	s := dbtest.New(t, nil)
	ctx := context.Background()
	a, err := s.CreateAdmin(ctx, "a@example.org", "twelve chars!")
	if err != nil {
		t.Fatal(err)
	}
	lang := func() string {
		var got models.Admin
		s.DB.Take(&got, a.ID)
		return got.Lang
	}
	if got := lang(); got != "en" {
		t.Errorf("a new administrator works in %q", got)
	}
	if err := s.SetAdminLang(ctx, a.ID, "ru"); err != nil || lang() != "ru" {
		t.Errorf("set ru: %v, %q", err, lang())
	}
	for _, bad := range []string{"", "RU", "r", "ru'--", "русский"} {
		if err := s.SetAdminLang(ctx, a.ID, bad); models.KindOf(err) != models.KindInvalid {
			t.Errorf("SetAdminLang(%q): %v", bad, err)
		}
	}
	if err := s.SetAdminLang(ctx, a.ID+100, "en"); models.KindOf(err) != models.KindNotFound {
		t.Errorf("an unknown administrator: %v", err)
	}
	if got := lang(); got != "ru" {
		t.Errorf("after refused changes: %q", got)
	}
}

// A flash keeps its key and arguments until it is taken, once; a message of an older form is
// dropped, not shown.
func TestFlashIsKeptAsKeyAndArguments(t *testing.T) {
	s := dbtest.New(t, nil)
	ctx := context.Background()
	a, err := s.CreateAdmin(ctx, "a@example.org", "twelve chars!")
	if err != nil {
		t.Fatal(err)
	}
	token, err := s.StartSession(ctx, a.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	sess, _, err := s.SessionByToken(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	want := append(models.NewFlash("admin.flash.approved", "Name", "Kids «Online»"), models.CountFlash("admin.flash.bulk_conflicts", 3))
	if err := s.SetFlash(ctx, sess, want); err != nil {
		t.Fatal(err)
	}
	sess, _, _ = s.SessionByToken(ctx, token)
	got, err := s.TakeFlash(ctx, sess)
	if err != nil || len(got) != 2 || got[0].Key != "admin.flash.approved" || got[0].Args["Name"] != "Kids «Online»" ||
		got[1].Count == nil || *got[1].Count != 3 {
		t.Fatalf("taken %+v, %v", got, err)
	}
	sess, _, _ = s.SessionByToken(ctx, token)
	if got, err := s.TakeFlash(ctx, sess); err != nil || got != nil {
		t.Errorf("taken twice: %+v %v", got, err)
	}
	s.DB.Model(sess).Update("flash", "Approved Kids Online.")
	sess, _, _ = s.SessionByToken(ctx, token)
	if got, err := s.TakeFlash(ctx, sess); err != nil || got != nil {
		t.Errorf("an old flash: %+v %v", got, err)
	}
	if sess.Flash != "" {
		t.Error("an old flash is kept")
	}
}
