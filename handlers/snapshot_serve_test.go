package handlers_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"charter/models"
)

// readFromRecorder is a ResponseWriter that, like the connection's, takes a body by ReadFrom, and
// records what it was given: net/http hands an *os.File (or a LimitedReader of one) to sendfile.
type readFromRecorder struct {
	*httptest.ResponseRecorder
	readers []io.Reader
}

func (w *readFromRecorder) ReadFrom(r io.Reader) (int64, error) {
	w.readers = append(w.readers, r)
	return io.Copy(struct{ io.Writer }{w.ResponseRecorder}, r)
}

// sendfileable reports whether net/http could send r with sendfile: a file, whole or limited.
func sendfileable(r io.Reader) bool {
	if lr, ok := r.(*io.LimitedReader); ok {
		r = lr.R
	}
	_, ok := r.(*os.File)
	return ok
}

// A download reaches the connection's ReadFrom with the snapshot file itself, so the kernel sends
// it (sendfile), whole or a range; through the fast path and the router as main serves them.
func TestSnapshotDownloadIsSentByTheKernel(t *testing.T) {
	a := newApp(t)
	if err := a.store.Seed(context.Background(), 300, models.SeedOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	withSnapshots(t, a, 0)
	whole := a.get("/signatories.csv")
	for _, rangeHeader := range []string{"", "bytes=100-5099"} {
		req := httptest.NewRequest(http.MethodGet, "/signatories.csv", nil)
		if rangeHeader != "" {
			req.Header.Set("Range", rangeHeader)
		}
		w := &readFromRecorder{ResponseRecorder: httptest.NewRecorder()}
		a.h.App().ServeHTTP(w, req)
		if len(w.readers) != 1 || !sendfileable(w.readers[0]) {
			t.Errorf("Range %q: ReadFrom given %T, want the file", rangeHeader, w.readers)
		}
		want := whole.Body.Bytes()
		if rangeHeader != "" {
			want = want[100:5100]
		}
		if !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("Range %q: %d bytes, want %d", rangeHeader, w.Body.Len(), len(want))
		}
	}
}

// A HEAD of a download sends its headers without reading the file.
func TestSnapshotHeadReadsNoFile(t *testing.T) {
	if _, err := os.Stat("/proc/self/io"); err != nil {
		t.Skip("needs Linux's /proc/self/io to count the bytes read")
	}
	a := newApp(t)
	if err := a.store.Seed(context.Background(), 3000, models.SeedOptions{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	withSnapshots(t, a, 0)
	waitCompressed(t, a) // the builder reads the file to compress it
	size := a.get("/signatories.csv").Body.Len()
	before := bytesRead(t)
	rec := a.do(http.MethodHead, "/signatories.csv", nil)
	read := bytesRead(t) - before
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Length") != strconv.Itoa(size) || rec.Body.Len() != 0 {
		t.Fatalf("HEAD: %d, Content-Length %q, %d bytes of body; want 200, %d, none", rec.Code, rec.Header().Get("Content-Length"), rec.Body.Len(), size)
	}
	if read > int64(size)/2 {
		t.Errorf("HEAD of a %d-byte download read %d bytes", size, read)
	}
}

// bytesRead is the number of bytes the process has read (rchar).
func bytesRead(t *testing.T) int64 {
	raw, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	t.Fatal("no rchar in /proc/self/io")
	return 0
}
