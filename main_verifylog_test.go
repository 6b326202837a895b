package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charter/config"
	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/publiclog"
)

// `charter verify-log URL --state FILE` checks the log, keeps its checkpoint, and on the next run
// fails when the log went back; its usage mistakes are usage errors.
func TestVerifyLogCommand(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	key, err := loadLogKey(config.Config{BaseURL: base, LogKeyPath: filepath.Join(t.TempDir(), "k")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	store := dbtest.New(t, nil)
	h := &handlers.Handler{Store: store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: base, LogKey: key}
	srv.Config.Handler = h.Router()
	srv.Start()
	defer srv.Close()
	for range 3 {
		sig := dbtest.AddSignatory(t, store, models.StatusPending, nil)
		if _, err := store.ApproveSignatory(ctx, models.Decision{SignatoryID: sig.ID, AdminID: 1}); err != nil {
			t.Fatal(err)
		}
	}

	state := filepath.Join(t.TempDir(), "log.state")
	var out bytes.Buffer
	if err := run(ctx, []string{"verify-log", base, "--state", state}, noEnv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "3 entries") {
		t.Errorf("output: %s", out.String())
	}
	saved, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(saved), "\n3\n") {
		t.Fatalf("state %q, %v", saved, err)
	}

	// The state file now claims a larger log than the site serves.
	bigger, _ := publiclog.Checkpoint{Origin: strings.TrimPrefix(base, "http://"), Size: 9}.Sign(key.Signer)
	os.WriteFile(state, bigger, 0o644)
	err = run(ctx, []string{"verify-log", "--key", key.Verifier, base, "--state", state}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "ROLLED BACK") {
		t.Fatalf("rolled back: %v", err)
	}
	if again, _ := os.ReadFile(state); !bytes.Equal(again, bigger) {
		t.Error("a failed check replaced the state file")
	}

	for _, args := range [][]string{{"verify-log"}, {"verify-log", "a", "b"}, {"verify-log", "--nope", base}} {
		if err := run(ctx, args, noEnv, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("%v: %v", args, err)
		}
	}
}
