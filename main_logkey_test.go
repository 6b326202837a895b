package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charter/models/dbtest"
)

// TestInstanceWithAnotherLogKeyRefusesToStart: a second instance on the same database with a
// key file of its own does not start, and says to copy the first instance's key file; with a
// copy of it, it starts.
func TestInstanceWithAnotherLogKeyRefusesToStart(t *testing.T) {
	db := dbtest.NewDSN(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.log-key")
	serve := func(key string) error {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve", "-addr", addr, "-db", db, "-log-key", key}, noEnv, io.Discard, io.Discard)
		}()
		for range 200 {
			select {
			case err := <-done:
				return err
			default:
			}
			if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
				resp.Body.Close()
				cancel()
				return <-done
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Fatal("serve neither answered nor stopped")
		return nil
	}
	if err := serve(first); err != nil {
		t.Fatalf("first instance: %v", err)
	}
	err := serve(filepath.Join(dir, "second.log-key"))
	if err == nil || !strings.Contains(err.Error(), "copy that instance's key file") {
		t.Fatalf("instance with another key: %v, want a refusal saying to copy the key file", err)
	}
	if err := serve(first); err != nil {
		t.Fatalf("instance with the first key: %v", err)
	}
}
