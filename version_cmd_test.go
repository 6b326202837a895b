package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// A database with no version records the charter as version 1 when the server starts, with its
// texts in both languages, and the texts older signatures name as earlier versions.
func TestFirstStartPublishesTheCharter(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	store := dbtest.Open(t, db, nil)
	old := dbtest.AddSignatory(t, store, models.StatusApproved, func(s *models.Signatory) { s.CharterVersion = "0123456789ab" })
	charter, err := newCharter(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ensureCharterVersion(ctx, store, charter, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	vs, err := store.CharterVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Hash != old.CharterVersion || vs[0].Label != "0.1" || vs[0].HasText ||
		vs[1].Hash != charter.Version || vs[1].Label != "1" || !vs[1].HasText || !vs[1].HasTranslation {
		t.Fatalf("versions: %+v", vs)
	}
	// Starting again changes nothing.
	if err := ensureCharterVersion(ctx, store, charter, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if again, _ := store.CharterVersions(ctx); len(again) != 2 {
		t.Errorf("second start: %d versions", len(again))
	}
}

// A charter.md whose version is not published stops the server before it serves, saying which
// command to run; publishing it lets the server start.
func TestUnpublishedCharterRefusesToStart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "charter.db")
	store := dbtest.Open(t, db, nil)
	earlier, err := models.NewCharter([]byte("# An earlier charter\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.EnsureCharterVersion(context.Background(), earlier); err != nil {
		t.Fatal(err)
	}
	store.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // a server that starts stops then
	defer cancel()
	err = run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-db", db}, noEnv, io.Discard, io.Discard)
	if models.KindOf(err) != models.KindConflict {
		t.Fatalf("serve with an unpublished charter: %v", err)
	}
	if msg := views.ErrorText(views.English, err); !strings.Contains(msg, "charter publish-version --label") {
		t.Errorf("the message does not name the command: %q", msg)
	}

	out, err := charter(t, db, "", "publish-version", "--label", "2.0", "--summary", "Rewritten.")
	if err != nil || !strings.Contains(out, "published charter version 2.0") {
		t.Fatalf("publish-version: %v %q", err, out)
	}
	if _, err := charter(t, db, "", "publish-version", "--label", "2.1", "--summary", "Again."); models.KindOf(err) != models.KindConflict {
		t.Errorf("publishing the same text under another label: %v", err)
	}
	if _, err := charter(t, db, "", "publish-version", "--label", "../x", "--summary", "x"); models.KindOf(err) != models.KindInvalid {
		t.Errorf("a label that is not one: %v", err)
	}
	if _, err := charter(t, db, "", "publish-version", "--summary", "x"); err == nil {
		t.Error("publish-version without a label")
	}
	store = dbtest.Open(t, db, nil)
	c, err := newCharter(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := ensureCharterVersion(context.Background(), store, c, slog.New(slog.DiscardHandler)); err != nil {
		t.Errorf("after publishing: %v", err)
	}
}
