package handlers

import (
	"bytes"
	"sync"
	"testing"
)

func TestNegotiate(t *testing.T) {
	for _, tc := range []struct {
		accept string
		want   encoding
	}{
		{"", identity},
		{"identity", identity},
		{"gzip", encGzip},
		{"x-gzip", encGzip},
		{"br", encBrotli},
		{"gzip, deflate, br", encBrotli},
		{"br;q=0.8, gzip;q=0.9", encGzip},
		{"br;q=0.9, gzip;q=0.9", encBrotli},
		{"gzip;q=0, br;q=0", identity},
		{"*", encBrotli},
		{"*;q=0.5, br;q=0", encGzip},
		{"GZIP ; Q=0.5", encGzip},
		{"br;q=2, gzip;q=nope", identity},
		{"deflate, zstd", identity},
	} {
		if got := negotiate(tc.accept); got != tc.want {
			t.Errorf("negotiate(%q) = %v, want %v", tc.accept, got, tc.want)
		}
	}
}

// A body is compressed once per encoding, however many requests ask for it at once.
func TestEncodedBodyCompressesOnce(t *testing.T) {
	b := newEncodedBody(bytes.Repeat([]byte("<li>Fondation pour l'enfance</li>\n"), 200), true, `"x"`, "text/html", "no-cache")
	var wg sync.WaitGroup
	got := make([][]byte, 16)
	for i := range got {
		wg.Go(func() { got[i] = b.in(encoding(1 + i%2)).body })
	}
	wg.Wait()
	for i := range got {
		if &got[i][0] != &got[i%2][0] {
			t.Fatalf("request %d got its own compressed copy", i)
		}
	}
}
