package handlers

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"charter/models"
)

// The open data exports are served from snapshot files: for each public-state version, the CSV
// and the JSON are written once into SnapshotDir, each also gzip- and brotli-compressed, and every
// download is answered from those files with http.ServeContent (Range, If-None-Match,
// Content-Length, sendfile). A download never reads the signatories.
//
// One builder (RunSnapshots) writes them: when the public state moves on, it reads the new state
// in one read transaction, writes the files under temporary names, syncs them and renames them
// into place; then it swaps the current snapshot and deletes the old files (a download still
// reading one keeps its open file). While it builds, the old snapshot is still served, but never
// longer than PublicStateMaxAge after it was first seen out of date: past that a download waits
// for the new one. Before the first snapshot exists a download waits for it; when the builder is
// not running or a build fails, the export is streamed from the database as before.

// snapshotEncodings are the encodings each export is stored in, by Content-Encoding ("" is
// identity), with the suffix of their files.
var snapshotEncodings = []struct{ name, suffix string }{{"", ""}, {"gzip", ".gz"}, {"br", ".br"}}

// Compression levels: brotli 5 and gzip 6 are the usual static-file trade-off (most of the size
// gain at a fraction of the highest levels' time); the work is done once per version.
const (
	snapshotBrotliLevel = 5
	snapshotGzipLevel   = gzip.DefaultCompression
)

// snapshotPoll is how often the builder asks whether the public state changed, at most.
const snapshotPoll = time.Second

// snapshotPrefix starts the name of every file the builder writes.
const snapshotPrefix = "signatories-"

// snapshot is one complete set of export files, for one public state.
type snapshot struct {
	state models.PublicState
	dir   string
	stem  string // the files' names without the format and encoding: signatories-<epoch>-<version>
	// staleSince is when the snapshot was first seen out of date; zero while it is current.
	// Guarded by snapshots.mu.
	staleSince time.Time
	// compressed holds the files compressed so far, by format and encoding: the identity
	// files come first, the compressed ones are added as they are written. Guarded by
	// snapshots.mu.
	compressed map[string]bool
}

func (s *snapshot) path(format, suffix string) string {
	return filepath.Join(s.dir, s.stem+"."+format+suffix)
}

// etag is the strong entity tag of one file: the same version in another encoding is other bytes.
func (s *snapshot) etag(format, encoding string) string {
	tag := fmt.Sprintf(`"%s-%d-%s`, s.state.Epoch, s.state.Version, format)
	if encoding != "" {
		tag += "-" + encoding
	}
	return tag + `"`
}

// remove deletes the snapshot's files.
func (s *snapshot) remove() error {
	var errs []error
	for format := range openFormats {
		for _, enc := range snapshotEncodings {
			if err := os.Remove(s.path(format, enc.suffix)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// snapshots is the state shared by the builder and the downloads. Its zero value is ready.
type snapshots struct {
	mu      sync.Mutex
	running bool      // a builder is running
	cur     *snapshot // the newest complete snapshot; nil before the first
	err     error     // of the last build, if it failed
	built   chan struct{}
	kick    chan struct{}
	// beforeSwap, when set (by tests), runs after a build has written its files and before
	// they become current.
	beforeSwap func()
}

// ended returns a channel closed when the build in progress or the next one ends.
func (sn *snapshots) ended() chan struct{} {
	if sn.built == nil {
		sn.built = make(chan struct{})
	}
	return sn.built
}

// wake asks the builder to look at the public state now. Called with mu held.
func (sn *snapshots) wake() {
	select {
	case sn.kick <- struct{}{}:
	default: // it is already asked to
	}
}

// covers reports whether a snapshot of state have may answer a request that saw state want:
// the same state or a later one.
func covers(have, want models.PublicState) bool {
	return have == want || (have.Epoch == want.Epoch && have.Version > want.Version)
}

// errNoSnapshot says a download must be streamed: no builder runs, or its build failed.
var errNoSnapshot = errors.New("no snapshot of the open data")

// current returns the snapshot a download that saw state st, at now, may be answered with:
// the current one, or the one before while it is out of date for less than maxAge. Otherwise it
// wakes the builder and waits for a build.
func (sn *snapshots) current(ctx context.Context, st models.PublicState, now time.Time, maxAge time.Duration) (*snapshot, error) {
	waited := false
	for {
		sn.mu.Lock()
		if !sn.running {
			sn.mu.Unlock()
			return nil, errNoSnapshot
		}
		cur := sn.cur
		if cur != nil && covers(cur.state, st) {
			sn.mu.Unlock()
			return cur, nil
		}
		if cur != nil {
			if cur.staleSince.IsZero() {
				cur.staleSince = now
			}
			if now.Sub(cur.staleSince) < maxAge {
				sn.wake()
				sn.mu.Unlock()
				return cur, nil
			}
		}
		if waited && sn.err != nil {
			err := sn.err
			sn.mu.Unlock()
			return nil, fmt.Errorf("%w: %w", errNoSnapshot, err)
		}
		ended := sn.ended()
		sn.wake()
		sn.mu.Unlock()
		select {
		case <-ended:
			waited = true
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// encoding returns the first of the encodings wanted whose file of format is written, or ""
// (identity).
func (sn *snapshots) encoding(snap *snapshot, format string, wanted []string) string {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	for _, enc := range wanted {
		if snap.compressed[format+" "+enc] {
			return enc
		}
	}
	return ""
}

// latest returns the current snapshot, or nil.
func (sn *snapshots) latest() *snapshot {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if !sn.running {
		return nil
	}
	return sn.cur
}

// finish records the end of a build: snap becomes current, or err is kept. It wakes the
// downloads waiting and returns the snapshot replaced, whose files may go.
func (sn *snapshots) finish(snap *snapshot, err error) (old *snapshot) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if err == nil {
		old, sn.cur = sn.cur, snap
	}
	sn.err = err
	close(sn.ended())
	sn.built = nil
	return old
}

// serveSnapshot answers a download of format from the current snapshot, and reports whether it
// did; when it did not, the caller streams the export from the database.
func (h *Handler) serveSnapshot(c echo.Context, format string) (bool, error) {
	if !h.snapshotsRunning() {
		return false, nil
	}
	ctx := c.Request().Context()
	st, _, err := h.publicState(ctx)
	if err != nil {
		return false, err
	}
	snap, err := h.snaps.current(ctx, st, h.now(), h.PublicStateMaxAge)
	if err != nil {
		if ctx.Err() != nil {
			return true, nil // the client is gone
		}
		return false, nil
	}
	wanted := acceptedEncodings(c.Request().Header.Get(echo.HeaderAcceptEncoding))
	// The snapshot may be replaced, and its files deleted, between choosing it and opening the
	// file: then the newer one is served.
	var f *os.File
	var encoding string
	for range 3 {
		encoding = h.snaps.encoding(snap, format, wanted)
		if f, err = os.Open(snap.path(format, encodingSuffix(encoding))); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		if snap = h.snaps.latest(); snap == nil {
			return false, nil
		}
	}
	if err != nil {
		h.Log.Error("open data snapshot unreadable; streaming instead", "err", err)
		return false, nil
	}
	defer f.Close()

	hdr := c.Response().Header()
	hdr.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if h.notModified(c, snap.etag(format, encoding)) {
		return true, nil
	}
	hdr.Set(echo.HeaderContentType, openFormats[format])
	req := c.Request()
	if _, head := c.Response().Writer.(headWriter); head {
		// headAsGet made it a GET for the router; told it is a HEAD, ServeContent sends the
		// headers without reading the file, rather than reading it all into the headWriter.
		req = req.WithContext(req.Context())
		req.Method = http.MethodHead
	}
	// Range applies to the bytes sent, compressed or not, as RFC 9110 says of Content-Encoding.
	http.ServeContent(fileResponse{c.Response(), encoding}, req, "", time.Time{}, f)
	return true, nil
}

// snapshotsRunning reports whether a builder runs.
func (h *Handler) snapshotsRunning() bool {
	h.snaps.mu.Lock()
	defer h.snaps.mu.Unlock()
	return h.snaps.running
}

// fileResponse lets http.ServeContent write to an Echo response: it adds Content-Encoding to a
// 200 or 206 (http.ServeContent leaves Content-Length out when it sees one set beforehand), and
// hands a file to the connection's ReadFrom, so that the kernel copies it (sendfile).
type fileResponse struct {
	*echo.Response
	encoding string
}

func (w fileResponse) WriteHeader(code int) {
	if w.encoding != "" && (code == http.StatusOK || code == http.StatusPartialContent) {
		w.Header().Set(echo.HeaderContentEncoding, w.encoding)
	}
	w.Response.WriteHeader(code)
}

func (w fileResponse) ReadFrom(r io.Reader) (int64, error) {
	if !w.Committed {
		w.WriteHeader(http.StatusOK)
	}
	rf, ok := w.Writer.(io.ReaderFrom)
	if !ok {
		return io.Copy(struct{ io.Writer }{w.Response}, r)
	}
	n, err := rf.ReadFrom(r)
	w.Size += n
	return n, err
}

// encodingSuffix returns the suffix of the files in encoding.
func encodingSuffix(encoding string) string {
	for _, e := range snapshotEncodings {
		if e.name == encoding {
			return e.suffix
		}
	}
	return ""
}
