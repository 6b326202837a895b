package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/term"

	"charter/config"
	"charter/models"
	"charter/models/dbtest"
)

// charter runs the command line against the database file db, with password as
// CHARTER_ADMIN_PASSWORD, and returns what it printed.
func charter(t *testing.T, db, password string, args ...string) (string, error) {
	t.Helper()
	env := func(k string) string {
		if k == "CHARTER_ADMIN_PASSWORD" {
			return password
		}
		return ""
	}
	var out bytes.Buffer
	err := run(context.Background(), append(args, "-db", db), env, &out, io.Discard)
	return out.String(), err
}

func TestAdminCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	const pw = "a long enough password"

	out, err := charter(t, db, "", "admin", "list")
	if err != nil || !strings.Contains(out, "no administrators") {
		t.Fatalf("list on a new database: %v %q", err, out)
	}
	if _, err := charter(t, db, pw, "admin", "create", "--email", "reviewer@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := charter(t, db, pw, "admin", "create", "-email=Reviewer@example.org"); models.KindOf(err) != models.KindConflict {
		t.Errorf("duplicate email (other case): %v", err)
	}
	if _, err := charter(t, db, "too short", "admin", "create", "--email", "other@example.org"); models.KindOf(err) != models.KindInvalid {
		t.Errorf("short password: %v", err)
	}
	if _, err := charter(t, db, pw, "admin", "create", "--email", "not an address"); models.KindOf(err) != models.KindInvalid {
		t.Errorf("bad email: %v", err)
	}
	out, err = charter(t, db, "", "admin", "list")
	if err != nil || !strings.Contains(out, "reviewer@example.org") || !strings.Contains(out, "active") || strings.Contains(out, "other@") {
		t.Fatalf("list: %v\n%s", err, out)
	}

	store := dbtest.Open(t, db, nil)
	ctx := context.Background()
	if _, err := store.Login(ctx, "reviewer@example.org", pw, "192.0.2.1"); err != nil {
		t.Fatalf("the created administrator cannot sign in: %v", err)
	}
	var hash string
	store.DB.Raw("SELECT password_hash FROM admins").Scan(&hash)
	if !strings.HasPrefix(hash, "$argon2id$v=19$") || strings.Contains(hash, pw) {
		t.Errorf("stored hash %q", hash)
	}

	const newPw = "another long password"
	if _, err := charter(t, db, newPw, "admin", "reset-password", "--email", "reviewer@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Login(ctx, "reviewer@example.org", pw, "192.0.2.1"); !errors.Is(err, models.ErrLoginFailed) {
		t.Errorf("old password after reset: %v", err)
	}
	if _, err := store.Login(ctx, "reviewer@example.org", newPw, "192.0.2.1"); err != nil {
		t.Errorf("new password after reset: %v", err)
	}

	if _, err := charter(t, db, "", "admin", "disable", "--email", "reviewer@example.org"); err != nil {
		t.Fatal(err)
	}
	out, _ = charter(t, db, "", "admin", "list")
	if !strings.Contains(out, "disabled") {
		t.Errorf("list after disable:\n%s", out)
	}
	if _, err := store.Login(ctx, "reviewer@example.org", newPw, "192.0.2.1"); !errors.Is(err, models.ErrLoginFailed) {
		t.Errorf("disabled administrator signs in: %v", err)
	}
	if _, err := charter(t, db, "", "admin", "disable", "--email", "nobody@example.org"); models.KindOf(err) != models.KindNotFound {
		t.Errorf("disable unknown: %v", err)
	}
}

func TestAdminCommandMistakesAreUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	for _, args := range [][]string{
		{"admin"},
		{"admin", "promote", "--email", "a@example.org"},
		{"admin", "create"},
		{"admin", "disable", "--email"},
		{"admin", "list", "extra"},
		{"admin", "create", "--email", "a@example.org", "--lang", "de"},
		{"admin", "create", "--email", "a@example.org", "--lang"},
		{"admin", "disable", "--email", "a@example.org", "--lang", "ru"},
	} {
		if _, err := charter(t, db, "a long enough password", args...); !errors.Is(err, config.ErrUsage) {
			t.Errorf("charter %v: %v, want a usage error", args, err)
		}
	}
}

// An administrator works in the language given at creation, English by default; the list shows it.
func TestAdminCreateWithALanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	const pw = "a long enough password"
	if _, err := charter(t, db, pw, "admin", "create", "--email", "ru@example.org", "--lang", "ru"); err != nil {
		t.Fatal(err)
	}
	if _, err := charter(t, db, pw, "admin", "create", "--email=en@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := charter(t, db, pw, "admin", "create", "--lang=ru", "--email", "ru2@example.org"); err != nil {
		t.Fatal(err)
	}
	store := dbtest.Open(t, db, nil)
	for email, want := range map[string]string{"ru@example.org": "ru", "en@example.org": "en", "ru2@example.org": "ru"} {
		var lang string
		store.DB.Raw("SELECT lang FROM admins WHERE email = ?", email).Scan(&lang)
		if lang != want {
			t.Errorf("%s works in %q, want %q", email, lang, want)
		}
	}
	out, err := charter(t, db, "", "admin", "list")
	if err != nil || !strings.Contains(out, "LANG") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && f[0] == "ru@example.org" && f[1] != "ru" {
			t.Errorf("list line %q", line)
		}
	}
}

func TestAdminCreateWithoutPasswordOrTerminal(t *testing.T) {
	if term.IsTerminal(int(os.Stdin.Fd())) {
		t.Skip("stdin is a terminal: the command would prompt")
	}
	db := filepath.Join(t.TempDir(), "charter.db")
	_, err := charter(t, db, "", "admin", "create", "--email", "a@example.org")
	if err == nil || !strings.Contains(err.Error(), "CHARTER_ADMIN_PASSWORD") {
		t.Errorf("err = %v, want a hint to set CHARTER_ADMIN_PASSWORD", err)
	}
}

func TestServeSaysHowToCreateTheFirstAdmin(t *testing.T) {
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "charter.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &dbtest.LogBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-addr", addr, "-db", db}, noEnv, io.Discard, logs) }()
	for i := 0; i < 100; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "charter admin create --email") {
		t.Errorf("the log does not say how to create an administrator:\n%s", logs.String())
	}
}
