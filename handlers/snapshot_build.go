package handlers

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"charter/models"
)

// Building the open data snapshots: one builder, in the background, writing each version's
// files beside the database (see snapshot.go for what they are and how they are served).

// RunSnapshots builds the open data snapshots in SnapshotDir until ctx is cancelled, then
// waits for a build in progress to stop; downloads then stream from the database again. Without
// a SnapshotDir it returns at once. Run it once, beside the server, and stop it before the
// database is closed.
func (h *Handler) RunSnapshots(ctx context.Context) error {
	if h.SnapshotDir == "" {
		return nil
	}
	if err := os.MkdirAll(h.SnapshotDir, 0o755); err != nil {
		return fmt.Errorf("open data snapshots: %w", err)
	}
	// Files left by an earlier run (or a build cut short) are of unknown state: start afresh.
	if err := removeSnapshotFiles(h.SnapshotDir); err != nil {
		return fmt.Errorf("open data snapshots: %w", err)
	}
	sn := &h.snaps
	sn.mu.Lock()
	sn.running, sn.kick = true, make(chan struct{}, 1)
	sn.mu.Unlock()
	defer func() {
		sn.mu.Lock()
		cur := sn.cur
		sn.running, sn.cur = false, nil
		close(sn.ended()) // the downloads waiting stream instead
		sn.built = nil
		sn.mu.Unlock()
		if cur != nil {
			if err := cur.remove(); err != nil {
				h.Log.Warn("open data snapshot not removed", "err", err)
			}
		}
	}()
	t := time.NewTicker(snapshotPoll)
	defer t.Stop()
	for {
		h.refreshSnapshot(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-sn.kick:
		case <-t.C:
		}
	}
}

// refreshSnapshot builds a snapshot of the current public state unless the current one is of it.
func (h *Handler) refreshSnapshot(ctx context.Context) {
	sn := &h.snaps
	st, err := h.Store.PublicState(ctx)
	if err != nil {
		if ctx.Err() == nil {
			h.Log.Error("open data snapshot: reading the public state failed", "err", err)
		}
		return
	}
	sn.mu.Lock()
	cur, failed, beforeSwap := sn.cur, sn.err != nil, sn.beforeSwap
	if cur != nil && cur.state == st && !failed {
		sn.mu.Unlock()
		return
	}
	if cur != nil && cur.state != st && cur.staleSince.IsZero() {
		cur.staleSince = h.now()
	}
	sn.mu.Unlock()

	started := time.Now()
	snap, err := h.buildSnapshot(ctx)
	if err == nil && beforeSwap != nil {
		beforeSwap()
	}
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		} else {
			h.Log.Error("open data snapshot failed; downloads stream from the database", "err", err)
		}
	}
	old := sn.finish(snap, err)
	if err != nil {
		return
	}
	if old != nil {
		if err := old.remove(); err != nil {
			h.Log.Warn("old open data snapshot not removed", "err", err)
		}
	}
	written := time.Since(started)
	if err := h.compressSnapshot(ctx, snap); err != nil {
		if ctx.Err() == nil {
			h.Log.Error("open data snapshot: compression failed; the files are served uncompressed", "err", err)
		}
		return
	}
	h.Log.Info("open data snapshot built", "version", snap.state.Version, "written", written.Round(time.Millisecond),
		"took", time.Since(started).Round(time.Millisecond))
}

// compressSnapshot writes the compressed files of snap, one at a time; each is served as soon
// as it is in place. It stops early, leaving the rest uncompressed, when the public state has
// moved on: the next snapshot is more use.
func (h *Handler) compressSnapshot(ctx context.Context, snap *snapshot) error {
	for _, format := range []string{formatCSV, formatJSON} {
		for _, enc := range snapshotEncodings[1:] {
			if st, err := h.Store.PublicState(ctx); err != nil || st != snap.state {
				return err
			}
			tmp, err := compressFile(ctx, snap.dir, snap.path(format, ""), enc.name)
			if err == nil {
				err = os.Rename(tmp, snap.path(format, enc.suffix))
			}
			if err == nil {
				err = syncDir(snap.dir)
			}
			if err != nil {
				if tmp != "" {
					os.Remove(tmp)
				}
				return err
			}
			h.snaps.mu.Lock()
			snap.compressed[format+" "+enc.name] = true
			h.snaps.mu.Unlock()
		}
	}
	return nil
}

// buildSnapshot writes the exports of the current public state, read in one read transaction,
// in every format, uncompressed (compressSnapshot follows). The files appear under their names
// complete and synced, or not at all.
func (h *Handler) buildSnapshot(ctx context.Context) (snap *snapshot, err error) {
	dir := h.SnapshotDir
	var temps []string // written, not yet renamed
	defer func() {
		if err != nil {
			for _, name := range temps {
				os.Remove(name)
			}
		}
	}()
	identity := map[string]string{} // format → temporary file
	err = h.Store.ReadPublicSnapshot(ctx, func(st models.PublicState, each func(func(*models.PublicSignatory) error) error) error {
		snap = &snapshot{state: st, dir: dir, compressed: map[string]bool{}, stem: snapshotPrefix + fileSafe(st.Epoch) + "-" + strconv.FormatInt(st.Version, 10)}
		// Both formats are written in one walk over the rows.
		var files []*tempFile
		writers := map[string]openWriter{}
		var err error
		for format := range openFormats {
			var f *tempFile
			if f, err = newTempFile(dir); err != nil {
				break
			}
			temps = append(temps, f.Name())
			identity[format] = f.Name()
			files = append(files, f)
			if writers[format], err = newOpenWriter(format, f.w); err != nil {
				break
			}
		}
		if err != nil {
			for _, f := range files {
				f.commit(false)
			}
			return err
		}
		err = each(func(s *models.PublicSignatory) error {
			r := h.openRecord(s)
			for _, w := range writers {
				if err := w.row(r); err != nil {
					return err
				}
			}
			return nil
		})
		for _, w := range writers {
			if err == nil {
				err = w.end()
			}
		}
		for _, f := range files {
			err = errors.Join(err, f.commit(err == nil))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for format, tmp := range identity {
		if err := os.Rename(tmp, snap.path(format, "")); err != nil {
			return nil, err
		}
	}
	temps = nil
	return snap, syncDir(dir)
}

// fileSafe keeps the letters and digits of s, for a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// tempFile is a file being written under a temporary name, through a buffer.
type tempFile struct {
	*os.File
	w *bufio.Writer
}

func newTempFile(dir string) (*tempFile, error) {
	f, err := os.CreateTemp(dir, ".tmp-"+snapshotPrefix+"*")
	if err != nil {
		return nil, err
	}
	return &tempFile{File: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// commit flushes and syncs the file when ok, and closes it.
func (f *tempFile) commit(ok bool) error {
	var err error
	if ok {
		err = f.w.Flush()
		if err == nil {
			err = f.Sync()
		}
	}
	return errors.Join(err, f.Close())
}

// compressFile writes the file named src compressed with encoding (gzip or br) to a new
// temporary file in dir, and returns its name.
func compressFile(ctx context.Context, dir, src, encoding string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := newTempFile(dir)
	if err != nil {
		return "", err
	}
	var zw io.WriteCloser
	if encoding == "br" {
		zw = brotli.NewWriterLevel(out.w, snapshotBrotliLevel)
	} else {
		zw, _ = gzip.NewWriterLevel(out.w, snapshotGzipLevel) // the level is valid
	}
	_, err = io.Copy(zw, ctxReader{ctx, in})
	if err == nil {
		err = zw.Close()
	}
	return out.Name(), errors.Join(err, out.commit(err == nil))
}

// ctxReader stops a long copy when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeSnapshotFiles deletes every file the builder writes in dir, complete or not.
func removeSnapshotFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, snapshotPrefix) || strings.HasPrefix(name, ".tmp-"+snapshotPrefix) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
