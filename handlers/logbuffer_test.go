package handlers_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"charter/handlers"
	"charter/models/dbtest"
)

// Every line written by concurrent writers is there, whole and once, after Close.
func TestNoLineLostOrCut(t *testing.T) {
	var out dbtest.LogBuffer
	w := handlers.NewLogBuffer(&out, 1000, time.Hour) // small: it fills up many times
	var wg sync.WaitGroup
	const writers, lines = 8, 500
	for i := range writers {
		wg.Go(func() {
			for j := range lines {
				fmt.Fprintf(w, "writer=%d line=%d %s\n", i, j, strings.Repeat("x", j%40))
			}
		})
	}
	wg.Wait()
	fmt.Fprintf(w, "big %s\n", strings.Repeat("y", 3000)) // larger than the buffer
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if seen[l] {
			t.Fatalf("line twice: %q", l)
		}
		seen[l] = true
	}
	for i := range writers {
		for j := range lines {
			if l := fmt.Sprintf("writer=%d line=%d %s", i, j, strings.Repeat("x", j%40)); !seen[l] {
				t.Fatalf("line lost or cut: %q", l)
			}
		}
	}
	if len(seen) != writers*lines+1 {
		t.Errorf("%d lines, want %d", len(seen), writers*lines+1)
	}
}

// What is written goes out within the flush interval, without waiting for the buffer to fill.
func TestFlushedEveryInterval(t *testing.T) {
	var out dbtest.LogBuffer
	w := handlers.NewLogBuffer(&out, 64<<10, 20*time.Millisecond)
	defer w.Close()
	w.Write([]byte("hello\n"))
	if out.String() != "" {
		t.Fatal("written through at once")
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "hello\n" {
		if time.Now().After(deadline) {
			t.Fatal("not flushed after 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
