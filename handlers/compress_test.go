package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
)

// get sends a GET with the given request headers (name, value, name, value…).
func getWith(a *app, target string, headers ...string) *httptest.ResponseRecorder {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.router.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, encoding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch encoding {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	default:
		t.Fatalf("unknown encoding %q", encoding)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The public pages and the stylesheet are sent gzip- or brotli-compressed when the client takes
// it, decoding to exactly the bytes sent uncompressed, each encoding with its own ETag, for
// which 304 works, and always with Content-Length.
func TestCompressedResponsesDecodeToIdentity(t *testing.T) {
	a := newApp(t)
	for range 5 {
		dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	}
	style, _ := doc(t, a.get("/")).Find(`link[rel="stylesheet"]`).Attr("href")
	for _, u := range []string{"/", "/ru/", "/signatories", "/ru/signatories?sort=name", "/feed.atom", style} {
		plain := getWith(a, u)
		if plain.Code != http.StatusOK || plain.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%s: %d, Content-Encoding %q", u, plain.Code, plain.Header().Get("Content-Encoding"))
		}
		if plain.Body.Len() < 1024 {
			t.Fatalf("%s: only %d bytes, too few to be compressed", u, plain.Body.Len())
		}
		tags := map[string]string{"": plain.Header().Get("ETag")}
		for _, tc := range []struct{ accept, want string }{
			{"gzip", "gzip"},
			{"gzip, deflate, br, zstd", "br"},
			{"br;q=0.5, gzip", "gzip"},
			{"*", "br"},
		} {
			rec := getWith(a, u, "Accept-Encoding", tc.accept)
			got := rec.Header().Get("Content-Encoding")
			if got != tc.want {
				t.Fatalf("%s, Accept-Encoding %q: Content-Encoding %q, want %q", u, tc.accept, got, tc.want)
			}
			if !bytes.Equal(decode(t, got, rec.Body.Bytes()), plain.Body.Bytes()) {
				t.Errorf("%s in %s does not decode to the identity bytes", u, got)
			}
			if rec.Body.Len() >= plain.Body.Len() {
				t.Errorf("%s in %s: %d bytes, not fewer than %d", u, got, rec.Body.Len(), plain.Body.Len())
			}
			if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("%s in %s: Content-Length %q for %d bytes", u, got, cl, rec.Body.Len())
			}
			if vary := strings.Join(rec.Header().Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("%s in %s: Vary %q", u, got, vary)
			}
			tags[got] = rec.Header().Get("ETag")
		}
		if cl := plain.Header().Get("Content-Length"); cl != strconv.Itoa(plain.Body.Len()) {
			t.Errorf("%s: Content-Length %q for %d bytes", u, cl, plain.Body.Len())
		}
		if len(tags) != 3 || tags[""] == tags["gzip"] || tags[""] == tags["br"] || tags["gzip"] == tags["br"] {
			t.Errorf("%s: ETags %v, want one per encoding", u, tags)
		}
		for enc, tag := range tags {
			if rec := getWith(a, u, "Accept-Encoding", enc, "If-None-Match", tag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
				t.Errorf("%s in %q with its ETag %s: %d, %d bytes", u, enc, tag, rec.Code, rec.Body.Len())
			}
		}
		// A client's uncompressed copy is not the brotli one.
		if rec := getWith(a, u, "Accept-Encoding", "br", "If-None-Match", tags[""]); rec.Code != http.StatusOK {
			t.Errorf("%s in br with the identity ETag: %d", u, rec.Code)
		}
		for _, accept := range []string{"identity", "gzip;q=0, br;q=0", "*;q=0", "compress"} {
			rec := getWith(a, u, "Accept-Encoding", accept)
			if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), plain.Body.Bytes()) {
				t.Errorf("%s, Accept-Encoding %q: Content-Encoding %q", u, accept, rec.Header().Get("Content-Encoding"))
			}
		}
	}
}

// A response under a kilobyte, such as a badge, is not worth compressing and does not vary.
func TestSmallResponsesAreNotCompressed(t *testing.T) {
	a := newApp(t)
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	rec := getWith(a, "/signatories/"+sig.Slug+"/badge.svg", "Accept-Encoding", "gzip, br")
	if rec.Code != http.StatusOK || rec.Body.Len() >= 1024 {
		t.Fatalf("badge: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	if enc, vary := rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"); enc != "" || vary != "" {
		t.Errorf("badge: Content-Encoding %q, Vary %q", enc, vary)
	}
	if cl := rec.Header().Get("Content-Length"); cl != strconv.Itoa(rec.Body.Len()) {
		t.Errorf("badge: Content-Length %q for %d bytes", cl, rec.Body.Len())
	}
}

// Public pages may be kept by browsers and CDNs for the public max-age; error pages and forms
// may not, and Vary names only what varies: the language suggestion on the home page, the
// encoding where there is one.
func TestPublicPagesCacheControl(t *testing.T) {
	a := newApp(t, func(h *handlers.Handler) { h.PublicMaxAge = 30 * time.Second })
	sig := dbtest.AddSignatory(t, a.store, models.StatusApproved, nil)
	const want = "public, max-age=30, s-maxage=30, stale-while-revalidate=30"
	for _, tc := range []struct{ url, vary string }{
		{"/", "Accept-Language, Accept-Encoding"},
		{"/ru/", "Accept-Language, Accept-Encoding"},
		{"/signatories", "Accept-Encoding"},
		{"/signatories/" + sig.Slug, "Accept-Encoding"},
		{"/signatories/" + sig.Slug + "/badge.svg", ""},
		{"/feed.atom", ""}, // one entry: under a kilobyte
	} {
		rec := getWith(a, tc.url, "Accept-Encoding", "gzip")
		if cc := rec.Header().Get("Cache-Control"); rec.Code != http.StatusOK || cc != want {
			t.Errorf("%s: %d, Cache-Control %q, want %q", tc.url, rec.Code, cc, want)
		}
		if vary := strings.Join(rec.Header().Values("Vary"), ", "); vary != tc.vary {
			t.Errorf("%s: Vary %q, want %q", tc.url, vary, tc.vary)
		}
	}
	for _, u := range []string{"/signatories/no-such-org", "/signatories?page=0", "/no-such-page", "/sign", "/admin/login"} {
		rec := a.get(u)
		if cc := rec.Header().Get("Cache-Control"); strings.Contains(cc, "max-age") || rec.Header().Get("ETag") != "" {
			t.Errorf("%s (%d): Cache-Control %q, ETag %q", u, rec.Code, cc, rec.Header().Get("ETag"))
		}
	}
	// The home page's suggestion of another language is a variant with its own entity tag.
	en := getWith(a, "/", "Accept-Language", "en")
	ru := getWith(a, "/", "Accept-Language", "ru")
	if en.Header().Get("ETag") == ru.Header().Get("ETag") || bytes.Equal(en.Body.Bytes(), ru.Body.Bytes()) {
		t.Errorf("home with and without the suggestion: ETags %q and %q", en.Header().Get("ETag"), ru.Header().Get("ETag"))
	}
	if rec := getWith(a, "/", "Accept-Language", "ru", "If-None-Match", en.Header().Get("ETag")); rec.Code != http.StatusOK {
		t.Errorf("home suggesting Russian, with the ETag of the page without: %d", rec.Code)
	}
}

// The hot path of a campaign day: a cached page, as main serves it (the public state trusted for
// a while), uncompressed and in gzip, through the router alone and through the fast path in front
// of it (Handler.App). Profile with
// go test ./handlers -run '^$' -bench CachedPage -cpuprofile cpu.out
func BenchmarkCachedPage(b *testing.B) {
	store := dbtest.New(b, nil)
	if err := store.Seed(context.Background(), 1000, models.SeedOptions{Seed: 1}); err != nil {
		b.Fatal(err)
	}
	h := &handlers.Handler{Store: store, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://charter.test",
		PublicStateMaxAge: time.Second, PublicMaxAge: time.Second}
	router := h.Router()
	app := h.FastPath(router)
	for _, accept := range []string{"", "gzip"} {
		b.Run("router/Accept-Encoding="+accept, func(b *testing.B) { benchmarkPage(b, router, accept) })
		b.Run("app/Accept-Encoding="+accept, func(b *testing.B) { benchmarkPage(b, app, accept) })
	}
}

func benchmarkPage(b *testing.B, handler http.Handler, accept string) {
	req := httptest.NewRequest(http.MethodGet, "/signatories", nil)
	req.Header.Set("Accept-Encoding", accept)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req.Clone(req.Context()))
		if rec.Code != http.StatusOK {
			b.Fatalf("%d", rec.Code)
		}
	}
}
