package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charter/models/dbtest"
)

// The request log is buffered, yet every request's line is written within about a second while
// the server runs, and none is lost when it shuts down (as on SIGTERM, which cancels ctx).
func TestRequestLogIsFlushedAndNothingLostOnShutdown(t *testing.T) {
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "charter.db")
	var logs dbtest.LogBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-addr", addr, "-db", db}, noEnv, &logs, &logs) }()
	var err error
	for i := 0; i < 100; i++ {
		var resp *http.Response
		if resp, err = http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	get := func(i int) {
		resp, err := http.Get(fmt.Sprintf("http://%s/no-such-page-%d", addr, i))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	get(0)
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(logs.String(), "path=/no-such-page-0 ") {
		if time.Now().After(deadline) {
			t.Fatal("the request's line was not written within 3 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	const n = 200
	for i := 1; i <= n; i++ {
		get(i)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	out := logs.String()
	for i := 1; i <= n; i++ {
		if !strings.Contains(out, fmt.Sprintf("path=/no-such-page-%d ", i)) {
			t.Fatalf("request %d is not in the log after shutdown", i)
		}
	}
	if !strings.Contains(out, `msg=stopped`) {
		t.Error("the last line of serve is missing")
	}
}
