package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The served site answers the open data from snapshot files beside the database, over a real
// connection (where the file is handed to sendfile), and removes them when it stops.
func TestServeOpenDataFromSnapshots(t *testing.T) {
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "charter.db")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-addr", addr, "-db", db}, noEnv, io.Discard, io.Discard) }()
	defer func() {
		cancel()
		<-done
	}()

	get := func(header ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/signatories.csv", nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	var full string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, body, err := func() (*http.Response, string, error) {
			resp, err := http.Get("http://" + addr + "/healthz")
			if err != nil {
				return nil, "", err
			}
			resp.Body.Close()
			resp, body := get()
			return resp, body, nil
		}()
		if err == nil && strings.HasPrefix(resp.Header.Get("ETag"), `"`) { // strong: a snapshot file
			full = body
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download from a snapshot: %v", err)
		}
	}
	if !strings.HasPrefix(full, "slug,name,") {
		t.Fatalf("CSV %q", full)
	}
	resp, part := get("Range", "bytes=5-14")
	if resp.StatusCode != http.StatusPartialContent || part != full[5:15] || resp.ContentLength != 10 {
		t.Errorf("range = %d %q (length %d), want %q", resp.StatusCode, part, resp.ContentLength, full[5:15])
	}
	// The compressed files follow the uncompressed ones.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, _ := get("Accept-Encoding", "br")
		if resp.Header.Get("Content-Encoding") == "br" && resp.ContentLength > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no brotli: %d, %v", resp.StatusCode, resp.Header)
		}
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	done <- nil // for the deferred wait
	entries, err := os.ReadDir(db + ".snapshots")
	if err != nil || len(entries) != 0 {
		t.Errorf("snapshot folder after shutdown: %v, %v", entries, err)
	}
}
