package main

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"charter/config"
	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

func TestSeedCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	var out strings.Builder
	err := run(context.Background(), []string{"seed", "--signatories", "120", "-db", db}, noEnv, &out, io.Discard)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	if !strings.Contains(out.String(), "added 120 demo signatories") {
		t.Errorf("seed said %q", out.String())
	}
	// Flags in any order, with one or two dashes; seeding a demo database again is fine.
	err = run(context.Background(), []string{"seed", "-db", db, "-signatories=30"}, noEnv, io.Discard, io.Discard)
	if err != nil {
		t.Fatalf("seed again: %v", err)
	}
	s := dbtest.Open(t, db, nil)
	var n int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories WHERE status = 'approved'").Scan(&n)
	if n != 150 {
		t.Errorf("%d approved signatories, want 150", n)
	}

	for _, args := range [][]string{{"seed"}, {"seed", "--signatories", "0"}, {"seed", "--signatories", "many"}, {"seed", "--signatories", "5", "extra"}} {
		if err := run(context.Background(), append(args, "-db", db), noEnv, io.Discard, io.Discard); !errors.Is(err, config.ErrUsage) {
			t.Errorf("charter %v: err = %v, want a usage error", args, err)
		}
	}
}

func TestSeedCommandRefusesARealDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	s := dbtest.Open(t, db, nil)
	dbtest.AddSignatory(t, s, models.StatusApproved, nil)
	err := run(context.Background(), []string{"seed", "--signatories", "10", "-db", db}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(views.ErrorText(views.English, err), "--force") { // as main prints it
		t.Fatalf("seed over real signatories: err = %v", err)
	}
	var n int64
	s.DB.Raw("SELECT COUNT(*) FROM signatories").Scan(&n)
	if n != 1 {
		t.Errorf("the refused seed wrote %d rows", n-1)
	}
	if err := run(context.Background(), []string{"seed", "--signatories", "10", "--force", "-db", db}, noEnv, io.Discard, io.Discard); err != nil {
		t.Errorf("seed --force: %v", err)
	}
	s.DB.Raw("SELECT COUNT(*) FROM signatories").Scan(&n)
	if n != 11 {
		t.Errorf("after --force: %d rows, want 11", n)
	}
}
