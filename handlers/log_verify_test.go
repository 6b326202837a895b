package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
	"charter/publiclog"
)

// logSite is one address serving the log of whichever database it is switched to, signed with
// one key: the real app's router in front of a real database, as `charter verify-log` sees it.
type logSite struct {
	t       *testing.T
	srv     *httptest.Server
	key     *publiclog.Key
	handler atomic.Pointer[http.Handler]
}

func newLogSite(t *testing.T) *logSite {
	s := &logSite{t: t, srv: httptest.NewUnstartedServer(nil)}
	origin, _ := publiclog.Origin(s.url())
	var err error
	if s.key, err = publiclog.NewKey(origin); err != nil {
		t.Fatal(err)
	}
	s.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*s.handler.Load()).ServeHTTP(w, r) })
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	return s
}

func (s *logSite) url() string { return "http://" + s.srv.Listener.Addr().String() }

// serve makes the site serve the log of store, through a new router (an empty page cache).
func (s *logSite) serve(store *models.Store) {
	h := &handlers.Handler{Store: store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: s.url(), LogKey: s.key}
	var router http.Handler = h.Router()
	s.handler.Store(&router)
}

// verify runs the check as `charter verify-log URL --state` does, with last as the state file.
func (s *logSite) verify(last []byte) (*publiclog.Verified, error) {
	return publiclog.Verify(context.Background(), s.url(), publiclog.VerifyOptions{Last: last})
}

func approveInto(t *testing.T, store *models.Store, n int, name string) {
	t.Helper()
	for range n {
		sig := dbtest.AddSignatory(t, store, models.StatusPending, func(s *models.Signatory) { s.Name = name })
		if _, err := store.ApproveSignatory(context.Background(), models.Decision{SignatoryID: sig.ID, AdminID: 1}); err != nil {
			t.Fatal(err)
		}
	}
}

func wantFailure(t *testing.T, what string, v *publiclog.Verified, err error, words string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: verified (%+v); want a failure", what, v.Checkpoint)
	}
	if !strings.Contains(err.Error(), words) {
		t.Fatalf("%s: %v; want it to say %q", what, err, words)
	}
}

// A log that holds is verified, again after it grows (consistent with the state kept), and
// across more than one page of entries.
func TestVerifyLogAcceptsAnHonestLog(t *testing.T) {
	site := newLogSite(t)
	store := dbtest.New(t, nil)
	site.serve(store)
	v, err := site.verify(nil)
	if err != nil || v.Checkpoint.Size != 0 {
		t.Fatalf("empty log: %v %v", v, err)
	}
	approveInto(t, store, 7, "Honest Org")
	v, err = site.verify(v.Signed)
	if err != nil || v.Checkpoint.Size != 7 {
		t.Fatalf("7 entries: %v", err)
	}
	approveInto(t, store, publiclog.PageSize-7+5, "Honest Org")
	site.serve(store)
	v, err = site.verify(v.Signed)
	if err != nil || v.Checkpoint.Size != publiclog.PageSize+5 || v.Last.Size != 7 {
		t.Fatalf("two pages: %+v %v", v, err)
	}
	if _, err := publiclog.Verify(context.Background(), site.url(), publiclog.VerifyOptions{Key: site.key.Verifier}); err != nil {
		t.Fatalf("with the key given: %v", err)
	}
	other, _ := publiclog.NewKey(v.Checkpoint.Origin)
	_, err = publiclog.Verify(context.Background(), site.url(), publiclog.VerifyOptions{Key: other.Verifier})
	wantFailure(t, "another key", nil, err, "signature")
}

// allowTampering lets the test change the rows of table, past the triggers that keep the public
// log append-only, as someone with the database's own access could.
func allowTampering(t *testing.T, store *models.Store, table string) {
	t.Helper()
	if dbtest.Postgres() {
		mustExec(t, store, "ALTER TABLE "+table+" DISABLE TRIGGER "+table+"_no_change")
		return
	}
	mustExec(t, store, "DROP TRIGGER "+table+"_no_update")
}

// An entry changed in the database (past the triggers) no longer hashes to the signed tree.
func TestVerifyLogDetectsATamperedEntry(t *testing.T) {
	site := newLogSite(t)
	store := dbtest.New(t, nil)
	approveInto(t, store, 10, "Real Name")
	allowTampering(t, store, "log_entries")
	mustExec(t, store, "UPDATE log_entries SET body = replace(body, 'Real Name', 'Fake Name') WHERE idx = 3")
	site.serve(store)
	v, err := site.verify(nil)
	wantFailure(t, "tampered entry", v, err, "TAMPERED")
}

// A stored hash of the tree changed in the database makes the signed tree one the entries do
// not give.
func TestVerifyLogDetectsATamperedStoredHash(t *testing.T) {
	site := newLogSite(t)
	store := dbtest.New(t, nil)
	approveInto(t, store, 10, "Org")
	allowTampering(t, store, "log_hashes")
	// The hash of the subtree of entries 0 to 7, which the tree of 10 is made from.
	mustExec(t, store, "UPDATE log_hashes SET hash = ? WHERE idx = ?", make([]byte, 32), tlog.StoredHashIndex(3, 0))
	site.serve(store)
	v, err := site.verify(nil)
	wantFailure(t, "tampered stored hash", v, err, "TAMPERED")

	// A leaf's hash the tree does not read yet is built on by the next entries.
	site2 := newLogSite(t)
	store2 := dbtest.New(t, nil)
	approveInto(t, store2, 5, "Org")
	allowTampering(t, store2, "log_hashes")
	mustExec(t, store2, "UPDATE log_hashes SET hash = ? WHERE idx = ?", make([]byte, 32), tlog.StoredHashIndex(0, 4))
	approveInto(t, store2, 3, "Org")
	site2.serve(store2)
	v, err = site2.verify(nil)
	wantFailure(t, "tampered leaf hash", v, err, "TAMPERED")
}

// A log restored from an older backup is smaller than the one checked last: rolled back.
func TestVerifyLogDetectsARollback(t *testing.T) {
	dbtest.SkipOnPostgres(t, "the older copy is made with charter backup (on PostgreSQL, pg_dump); Verify is the same on both")
	site := newLogSite(t)
	store := dbtest.New(t, nil)
	approveInto(t, store, 5, "Org")
	backup := filepath.Join(t.TempDir(), "old.db")
	if err := store.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	approveInto(t, store, 5, "Org")
	site.serve(store)
	v, err := site.verify(nil)
	if err != nil || v.Checkpoint.Size != 10 {
		t.Fatalf("before the rollback: %v", err)
	}
	site.serve(dbtest.Open(t, backup, nil))
	v2, err := site.verify(v.Signed)
	wantFailure(t, "rolled back", v2, err, "ROLLED BACK")
}

// Two different logs signed with the same key: at the same size, or the second grown from a
// different start, the state kept from the first makes the second fail.
func TestVerifyLogDetectsAFork(t *testing.T) {
	site := newLogSite(t)
	a, b := dbtest.New(t, nil), dbtest.New(t, nil)
	approveInto(t, a, 5, "Org A")
	approveInto(t, b, 5, "Org B")
	site.serve(a)
	v, err := site.verify(nil)
	if err != nil {
		t.Fatal(err)
	}
	site.serve(b)
	vb, err := site.verify(nil)
	if err != nil {
		t.Fatalf("the other log alone verifies: %v", err)
	}
	if vb.Checkpoint.Size != v.Checkpoint.Size || vb.Checkpoint.Hash == v.Checkpoint.Hash {
		t.Fatal("the test needs two logs of one size")
	}
	vb, err = site.verify(v.Signed)
	wantFailure(t, "forked, same size", vb, err, "FORKED")

	approveInto(t, b, 3, "Org B")
	site.serve(b)
	vb, err = site.verify(v.Signed)
	wantFailure(t, "forked, larger", vb, err, "FORKED")
}

func mustExec(t *testing.T, store *models.Store, sql string, args ...any) {
	t.Helper()
	if err := store.DB.Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
