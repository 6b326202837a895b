package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"charter/config"
	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/views"
)

// seedEveryKind fills a SQLite database with a row of every kind the application writes.
func seedEveryKind(t *testing.T, s *models.Store) {
	t.Helper()
	ctx := context.Background()
	admin, err := s.CreateAdmin(ctx, "admin@example.org", "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range models.AllStatuses {
		dbtest.AddSignatory(t, s, st, nil)
	}
	for range 3 {
		sig := dbtest.AddSignatory(t, s, models.StatusPending, nil)
		if _, err := s.ApproveSignatory(ctx, models.Decision{SignatoryID: sig.ID, AdminID: admin.ID, Letters: views.Emails{}}); err != nil {
			t.Fatal(err)
		}
	}
	app, errs := models.ApplicationInput{
		PublicInput: models.PublicInput{Name: "Фонд «Дети»", Category: "business", Country: "FR", Website: "https://fond.example.org"},
		ContactName: "Camille", ContactRole: "CEO", ContactEmail: "camille@other.example.org",
	}.Normalize()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if _, err := s.Submit(ctx, app, "v1", views.Emails{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secret(ctx, "device"); err != nil {
		t.Fatal(err)
	}
	now := s.Now()
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{"INSERT INTO used_stamps (hash, expires_at) VALUES ('stamp', ?)", []any{now}},
		{"INSERT INTO charter_versions (hash, label, published_at, material, summary) VALUES ('h2', '2', ?, TRUE, 'material')", []any{now}},
	} {
		if err := s.DB.Exec(stmt.sql, stmt.args...).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// `charter migrate` copies a SQLite database of every kind of row into an empty PostgreSQL one,
// which the application then serves as it served the file: the same counts, the same public
// state, a public log that verifies. A second run is refused: the target is no longer empty.
func TestMigrateCopiesSQLiteIntoPostgres(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("needs PostgreSQL: CHARTER_TEST_DB=postgres")
	}
	ctx := context.Background()
	from := filepath.Join(t.TempDir(), "charter.db")
	src := dbtest.Open(t, from, nil)
	seedEveryKind(t, src)
	to := dbtest.EmptyDSN(t)

	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "--from", from, "--to", to}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	t.Log(out.String())
	for _, table := range []string{"signatories", "audit_events", "log_entries", "log_hashes", "outbox", "tokens",
		"admins", "secrets", "charter_versions", "approved_counts", "public_state"} {
		if !regexpLine(out.String(), table, "ok") {
			t.Errorf("no line saying %s copied ok:\n%s", table, out.String())
		}
	}
	if strings.Contains(out.String(), "signatory_search") || strings.Contains(out.String(), "schema_migrations") {
		t.Errorf("copied the SQLite index or the migrations' table:\n%s", out.String())
	}

	dst := dbtest.Open(t, to, nil)
	wantCounts, _ := src.CountByStatus(ctx)
	gotCounts, err := dst.CountByStatus(ctx)
	if err != nil || len(gotCounts) != len(wantCounts) {
		t.Fatalf("counts %v, %v; want %v", gotCounts, err, wantCounts)
	}
	for st, n := range wantCounts {
		if gotCounts[st] != n {
			t.Errorf("%s: %d on the target, %d on the source", st, gotCounts[st], n)
		}
	}
	srcState, _ := src.PublicState(ctx)
	if st, _ := dst.PublicState(ctx); st != srcState {
		t.Errorf("public state %+v, want the source's %+v", st, srcState)
	}
	// New rows get ids after the copied ones.
	added := dbtest.AddSignatory(t, dst, models.StatusApproved, nil)
	var maxSrc int64
	src.DB.Raw("SELECT MAX(id) FROM signatories").Scan(&maxSrc)
	if added.ID <= maxSrc {
		t.Errorf("a new signatory got id %d, not after the copied %d", added.ID, maxSrc)
	}

	// The target serves the directory, searched by PostgreSQL's index, and a log that verifies.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	key, err := loadLogKey(config.Config{BaseURL: base, LogKeyPath: filepath.Join(t.TempDir(), "k")}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := &handlers.Handler{Store: dst, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: base, LogKey: key}
	srv.Config.Handler = h.Router()
	srv.Start()
	defer srv.Close()
	var approved models.Signatory
	dst.DB.Where("status = ? AND id <> ?", models.StatusApproved, added.ID).Order("id").Take(&approved)
	resp, err := http.Get(base + "/signatories?q=" + strings.Fields(approved.Name)[0])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), approved.Name) {
		t.Errorf("directory search: %d, %q not found", resp.StatusCode, approved.Name)
	}
	out.Reset()
	if err := run(ctx, []string{"verify-log", base}, noEnv, &out, io.Discard); err != nil {
		t.Fatalf("verify-log on the target: %v", err)
	}

	// The target is not empty now: a second copy is refused, and changes nothing.
	err = run(ctx, []string{"migrate", "--from", from, "--to", to}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second migrate: %v, want a refusal", err)
	}
	if n, _ := dst.CountByStatus(ctx); n[models.StatusApproved] != gotCounts[models.StatusApproved]+1 {
		t.Errorf("the refused copy changed the target: %v", n)
	}
}

// regexpLine reports whether some line of out starts with table and holds word.
func regexpLine(out, table, word string) bool {
	for line := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == table && strings.Contains(line, word) {
			return true
		}
	}
	return false
}
