package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"gorm.io/gorm"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
)

// withSnapshots serves the open data from snapshot files in a temporary folder, with the public
// state trusted for maxAge; the builder runs until the test ends.
func withSnapshots(t *testing.T, a *app, maxAge time.Duration) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "charter.db.snapshots")
	a.h.SnapshotDir, a.h.PublicStateMaxAge = dir, maxAge
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.h.RunSnapshots(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	eventually(t, "the snapshot builder starts", func() bool { return handlers.SnapshotsRunning(a.h) })
	return dir
}

// waitCompressed waits until both exports are served in gzip and brotli.
func waitCompressed(t *testing.T, a *app) {
	t.Helper()
	eventually(t, "the compressed files are written", func() bool {
		for _, target := range []string{"/signatories.csv", "/signatories.json"} {
			for _, enc := range []string{"gzip", "br"} {
				if a.getWith(target, "Accept-Encoding", enc).Header().Get("Content-Encoding") != enc {
					return false
				}
			}
		}
		return true
	})
}

// eventually waits up to 10 seconds for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
	}
}

// getWith sends GET target with the headers given as name, value pairs.
func (a *app) getWith(target string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

// snapshotFiles lists the complete snapshot files in dir.
func snapshotFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// approve approves a pending signatory by plain SQL, as the review does.
func approve(t *testing.T, a *app, s *models.Signatory) {
	t.Helper()
	if err := a.store.DB.Exec("UPDATE signatories SET status = 'approved', approved_at = ? WHERE id = ?",
		time.Now().UTC(), s.ID).Error; err != nil {
		t.Fatal(err)
	}
}

// The exports served from snapshot files are the very bytes streamed from the database, with
// Range, compression and conditional requests.
func TestSnapshotServesTheSameBytesWithRangesEncodingsAndETags(t *testing.T) {
	a := newApp(t)
	addOpenDataRows(t, a)
	streamed := map[string][]byte{}
	for _, target := range []string{"/signatories.csv", "/signatories.json"} {
		streamed[target] = a.get(target).Body.Bytes()
	}
	dir := withSnapshots(t, a, 0)

	for target, want := range streamed {
		// The first download on a fresh start waits for the first snapshot; compressed
		// requests are answered uncompressed until the compressed files are written.
		rec := a.getWith(target, "Accept-Encoding", "br")
		if rec.Code != http.StatusOK || !bytes.Equal([]byte(decodeBody(t, rec)), want) {
			t.Fatalf("GET %s from the snapshot = %d:\n%q\nwant the streamed bytes\n%q", target, rec.Code, rec.Body, want)
		}
	}
	waitCompressed(t, a)
	for target, want := range streamed {
		rec := a.get(target)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), want) {
			t.Fatalf("GET %s from the snapshot = %d:\n%q\nwant the streamed bytes\n%q", target, rec.Code, rec.Body, want)
		}
		tag := rec.Header().Get("ETag")
		if rec.Header().Get("Content-Length") != strconv.Itoa(len(want)) || tag == "" || strings.HasPrefix(tag, "W/") ||
			!strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") || rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("GET %s headers %v", target, rec.Header())
		}

		tags := map[string]bool{tag: true}
		for accept, encoding := range map[string]string{"gzip": "gzip", "gzip, deflate, br, zstd": "br"} {
			rec := a.getWith(target, "Accept-Encoding", accept)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != encoding ||
				rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) || rec.Body.Len() >= len(want) {
				t.Fatalf("GET %s, Accept-Encoding %q = %d, headers %v, %d bytes", target, accept, rec.Code, rec.Header(), rec.Body.Len())
			}
			var r io.Reader = brotli.NewReader(rec.Body)
			if encoding == "gzip" {
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				r = zr
			}
			if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, want) {
				t.Errorf("GET %s in %s decodes to %q (%v)", target, encoding, got, err)
			}
			etag := rec.Header().Get("ETag")
			if tags[etag] {
				t.Errorf("GET %s in %s has the ETag %s of another encoding", target, encoding, etag)
			}
			tags[etag] = true
			if again := a.getWith(target, "Accept-Encoding", accept, "If-None-Match", etag); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
				t.Errorf("GET %s in %s with If-None-Match = %d", target, encoding, again.Code)
			}
		}
		if again := a.conditional(target, tag); again.Code != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match = %d", target, again.Code)
		}
	}

	full := streamed["/signatories.csv"]
	rec := a.getWith("/signatories.csv", "Range", "bytes=10-49")
	if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), full[10:50]) ||
		rec.Header().Get("Content-Range") != "bytes 10-49/"+strconv.Itoa(len(full)) || rec.Header().Get("Content-Length") != "40" {
		t.Errorf("range 10-49 = %d %q, headers %v; want 206 %q", rec.Code, rec.Body, rec.Header(), full[10:50])
	}
	rec = a.getWith("/signatories.csv", "Range", "bytes=-20")
	if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), full[len(full)-20:]) {
		t.Errorf("last 20 bytes = %d %q", rec.Code, rec.Body)
	}
	if rec := a.getWith("/signatories.csv", "Range", "bytes=999999-"); rec.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end = %d", rec.Code)
	}
	if names := snapshotFiles(t, dir); len(names) != 6 {
		t.Errorf("snapshot files %q, want CSV and JSON in three encodings", names)
	}
}

// After an approval the next download, past the public max-age, has the new row; the old files
// are then deleted.
func TestSnapshotRebuiltAfterApproval(t *testing.T) {
	a := newApp(t)
	addOpenDataRows(t, a)
	waiting := dbtest.AddSignatory(t, a.store, models.StatusPending, named("Newly Approved Trust"))
	dir := withSnapshots(t, a, 0)
	if body := a.get("/signatories.csv").Body.String(); strings.Contains(body, "Newly Approved") {
		t.Fatal("a pending signatory is listed")
	}
	before := snapshotFiles(t, dir)

	approve(t, a, waiting)
	for _, accept := range []string{"", "gzip", "br"} {
		rec := a.getWith("/signatories.csv", "Accept-Encoding", accept)
		if body := decodeBody(t, rec); rec.Code != http.StatusOK || !strings.Contains(body, "Newly Approved Trust") {
			t.Errorf("GET /signatories.csv (%q) after the approval = %d without the new row", accept, rec.Code)
		}
	}
	eventually(t, "the old snapshot files are deleted", func() bool {
		names := snapshotFiles(t, dir)
		for _, old := range before {
			if slices.Contains(names, old) {
				return false
			}
		}
		return len(names) == 6
	})
}

func decodeBody(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var r io.Reader = brotli.NewReader(rec.Body)
	switch rec.Header().Get("Content-Encoding") {
	case "":
		return rec.Body.String()
	case "gzip":
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// While a new snapshot is built, downloads get the old one, complete; then the new one.
func TestSnapshotOldFileServedDuringRebuild(t *testing.T) {
	a := newApp(t)
	addOpenDataRows(t, a)
	waiting := dbtest.AddSignatory(t, a.store, models.StatusPending, named("Newly Approved Trust"))
	withSnapshots(t, a, time.Hour)
	old := a.get("/signatories.csv").Body.String()
	waitCompressed(t, a)

	paused, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	handlers.SetSnapshotBeforeSwap(a.h, func() {
		once.Do(func() { close(paused) })
		<-release
	})
	approve(t, a, waiting)
	select {
	case <-paused: // the builder has written the new files and not yet swapped them in
	case <-time.After(10 * time.Second):
		t.Fatal("no rebuild after the approval")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, accept := range []string{"", "gzip", "br"} {
				rec := a.getWith("/signatories.csv", "Accept-Encoding", accept)
				if body := decodeBody(t, rec); rec.Code != http.StatusOK || body != old || rec.Header().Get("Content-Encoding") != accept {
					t.Errorf("download during the rebuild (%q) = %d, %d bytes; want the old snapshot's %d", accept, rec.Code, len(body), len(old))
				}
			}
		})
	}
	wg.Wait()
	close(release)
	eventually(t, "the new snapshot is served", func() bool {
		return strings.Contains(a.get("/signatories.csv").Body.String(), "Newly Approved Trust")
	})
}

// Once the snapshot exists, a download never reads the signatories: it works with the database
// closed.
func TestSnapshotDownloadReadsNoSignatories(t *testing.T) {
	a := newApp(t)
	addOpenDataRows(t, a)
	withSnapshots(t, a, time.Hour)
	want := a.get("/signatories.csv").Body.String()
	waitCompressed(t, a)

	var mu sync.Mutex
	var queries []string
	record := func(db *gorm.DB) {
		mu.Lock()
		queries = append(queries, db.Statement.SQL.String())
		mu.Unlock()
	}
	cb := a.store.DB.Callback()
	cb.Query().After("gorm:query").Register("test:record", record)
	cb.Row().After("gorm:row").Register("test:record", record)
	cb.Raw().After("gorm:raw").Register("test:record", record)
	for range 5 {
		for _, h := range [][]string{nil, {"Accept-Encoding", "gzip"}, {"Accept-Encoding", "br"}, {"Range", "bytes=0-9"}} {
			a.getWith("/signatories.csv", h...)
			a.getWith("/signatories.json", h...)
		}
	}
	mu.Lock()
	for _, q := range queries {
		if strings.Contains(q, "signatories") {
			t.Errorf("a download ran %s", q)
		}
	}
	mu.Unlock()

	if err := a.store.Close(); err != nil {
		t.Fatal(err)
	}
	if rec := a.get("/signatories.csv"); rec.Code != http.StatusOK || rec.Body.String() != want {
		t.Errorf("download with the database closed = %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

// When a build fails, downloads stream from the database instead: never a 5xx.
func TestSnapshotBuildFailureStreams(t *testing.T) {
	a := newApp(t)
	addOpenDataRows(t, a)
	waiting := dbtest.AddSignatory(t, a.store, models.StatusPending, named("Newly Approved Trust"))
	dir := withSnapshots(t, a, 0)
	waitCompressed(t, a)                      // the builder has finished writing into dir
	if err := os.RemoveAll(dir); err != nil { // the next build cannot write its files
		t.Fatal(err)
	}
	approve(t, a, waiting)
	rec := a.get("/signatories.csv")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Newly Approved Trust") {
		t.Errorf("download after a failed build = %d %q", rec.Code, rec.Body)
	}
	if !strings.Contains(a.logs.String(), "open data snapshot failed") {
		t.Errorf("the failed build is not logged:\n%s", a.logs)
	}
}
