package webcheck_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"charter/models"
	"charter/webcheck"
)

const fileURL = "https://example.com/.well-known/charter-verification.txt"

// server is a local TLS server (its certificate is good for example.com and *.example.com) and a
// fetcher that reaches it for every name.
func server(t *testing.T, h http.HandlerFunc) (*webcheck.Fetcher, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	f := webcheck.New(models.RegistrableDomain)
	webcheck.ReachServer(f, srv)
	return f, &hits
}

func TestPublic(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.1.2.3", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1",
		"169.254.169.254", "100.64.0.1", "100.127.255.254", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
		"255.255.255.255", "240.0.0.1", "192.0.2.1", "198.51.100.7", "203.0.113.9", "198.18.0.1",
		"::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "2001:db8::1", "fec0::1",
		"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:192.168.0.1", "::ffff:100.64.0.1",
		"::7f00:1", "64:ff9b::7f00:1", "2002:7f00:1::1", "2001::1",
	}
	for _, s := range refused {
		if webcheck.Public(netip.MustParseAddr(s)) {
			t.Errorf("%s counts as public", s)
		}
	}
	if webcheck.Public(netip.MustParseAddr("fe80::1%eth0")) || webcheck.Public(netip.Addr{}) {
		t.Error("a zoned or invalid address counts as public")
	}
	allowed := []string{"93.184.215.14", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "11.0.0.1",
		"2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:93.184.215.14"}
	for _, s := range allowed {
		if !webcheck.Public(netip.MustParseAddr(s)) {
			t.Errorf("%s counts as not public", s)
		}
	}
}

// The check runs on the address a connection is made to, after resolving: whatever a name
// resolved to, the dial is refused.
func TestControlRefusesEachConnection(t *testing.T) {
	f := webcheck.New(models.RegistrableDomain)
	for _, addr := range []string{"127.0.0.1:443", "10.0.0.1:443", "169.254.169.254:443", "100.64.0.1:443",
		"[::1]:443", "[fc00::1]:443", "[fd00::1]:443", "[::ffff:127.0.0.1]:443", "[fe80::1]:443"} {
		network := "tcp6"
		if !strings.HasPrefix(addr, "[") {
			network = "tcp4"
		}
		if err := webcheck.Control(f, network, addr, nil); !errors.Is(err, webcheck.ErrAddress) {
			t.Errorf("control(%s) = %v, want ErrAddress", addr, err)
		}
	}
	if err := webcheck.Control(f, "tcp4", "93.184.215.14:443", nil); err != nil {
		t.Errorf("a public address is refused: %v", err)
	}
	if err := webcheck.Control(f, "udp4", "93.184.215.14:443", nil); !errors.Is(err, webcheck.ErrAddress) {
		t.Errorf("udp is allowed: %v", err)
	}
}

// The real dialer, given addresses that a name resolved to, refuses each one that is not public
// and connects to none: a listener on the loopback address sees nothing.
func TestDialRefusesAddressesThatAreNotPublic(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	port := netip.MustParseAddrPort(ln.Addr().String()).Port()
	for _, a := range []string{"127.0.0.1", "10.0.0.1", "169.254.169.254", "100.64.0.1", "::1", "fc00::1", "fd00::1",
		"::ffff:127.0.0.1", "0.0.0.0"} {
		f := webcheck.New(models.RegistrableDomain)
		webcheck.SetResolver(f, func(string) []netip.AddrPort {
			return []netip.AddrPort{netip.AddrPortFrom(netip.MustParseAddr(a), port)}
		})
		conn, err := webcheck.Dial(f, context.Background(), "tcp", "example.com:443")
		if conn != nil {
			conn.Close()
		}
		if !errors.Is(err, webcheck.ErrAddress) {
			t.Errorf("dial to %s: %v, want ErrAddress", a, err)
		}
		// And through a whole fetch.
		if _, err := f.Get(context.Background(), fileURL); !errors.Is(err, webcheck.ErrAddress) {
			t.Errorf("fetch resolving to %s: %v, want ErrAddress", a, err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if n := accepted.Load(); n != 0 {
		t.Errorf("%d connections reached the loopback listener", n)
	}
}

func TestGet(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1") // a proxy from the environment would fail the fetch
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	var seen http.Header
	f, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/charter-verification.txt":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "x"})
			http.Redirect(w, r, "https://www.example.com/moved", http.StatusFound)
		case "/moved":
			seen = r.Header.Clone()
			fmt.Fprint(w, "charter-verify-token\n")
		}
	})
	body, err := f.Get(context.Background(), fileURL)
	if err != nil || string(body) != "charter-verify-token\n" {
		t.Fatalf("Get = %q, %v", body, err)
	}
	if ua := seen.Get("User-Agent"); ua != webcheck.UserAgent {
		t.Errorf("User-Agent %q", ua)
	}
	if seen.Get("Cookie") != "" || seen.Get("Authorization") != "" {
		t.Errorf("sent a cookie or credentials: %v", seen)
	}
}

func TestGetFailures(t *testing.T) {
	cases := []struct {
		name string
		url  string
		h    http.HandlerFunc
		want error
	}{
		{"not found", fileURL, http.NotFound, webcheck.ErrNotFound},
		{"gone", fileURL, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusGone) }, webcheck.ErrNotFound},
		{"server error", fileURL, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) }, webcheck.ErrStatus},
		{"http address", "http://example.com/x", nil, webcheck.ErrNotHTTPS},
		{"another port", "https://example.com:8443/x", nil, webcheck.ErrAddress},
		{"credentials", "https://user:pw@example.com/x", nil, webcheck.ErrRedirect},
		{"ip address", "https://127.0.0.1/x", nil, webcheck.ErrAddress},
		{"redirect to http", fileURL, redirectTo("http://www.example.com/x"), webcheck.ErrNotHTTPS},
		{"redirect to another domain", fileURL, redirectTo("https://example.net/x"), webcheck.ErrRedirect},
		{"redirect to a look-alike", fileURL, redirectTo("https://example.com.evil.example.net/x"), webcheck.ErrRedirect},
		{"redirect to another port", fileURL, redirectTo("https://www.example.com:444/x"), webcheck.ErrAddress},
		{"redirect with credentials", fileURL, redirectTo("https://a:b@www.example.com/x"), webcheck.ErrRedirect},
		{"redirect to an ip", fileURL, redirectTo("https://127.0.0.1/x"), webcheck.ErrAddress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.h
			if h == nil {
				h = func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }
			}
			f, hits := server(t, h)
			body, err := f.Get(context.Background(), tc.url)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Get = %q, %v; want %v", body, err, tc.want)
			}
			if tc.h == nil && hits.Load() != 0 {
				t.Errorf("the server was asked")
			}
		})
	}
}

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/x" {
			fmt.Fprint(w, "reached")
			return
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	}
}

// At most three redirects are followed, each within the domain.
func TestRedirectLimit(t *testing.T) {
	for _, tc := range []struct {
		hops int
		ok   bool
	}{{3, true}, {4, false}} {
		f, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscanf(r.URL.Query().Get("n"), "%d", &n)
			if n < tc.hops {
				http.Redirect(w, r, fmt.Sprintf("https://a%d.example.com/?n=%d", n, n+1), http.StatusFound)
				return
			}
			fmt.Fprint(w, "end")
		})
		body, err := f.Get(context.Background(), "https://example.com/?n=0")
		if tc.ok && (err != nil || string(body) != "end") {
			t.Errorf("%d redirects: %q, %v", tc.hops, body, err)
		}
		if !tc.ok && !errors.Is(err, webcheck.ErrRedirect) {
			t.Errorf("%d redirects: %q, %v; want ErrRedirect", tc.hops, body, err)
		}
	}
}

// A redirect is dialled afresh and checked again: a name that resolved to an allowed address for
// the first request and to a refused one for the next (DNS rebinding) is refused.
func TestRedirectIsCheckedAgain(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/second" {
			fmt.Fprint(w, "reached")
			return
		}
		http.Redirect(w, r, "https://example.com/second", http.StatusFound)
	}))
	defer srv.Close()
	f := webcheck.New(models.RegistrableDomain)
	ap := webcheck.ReachServer(f, srv) // allows the server's 127.0.0.1, and nothing else local
	var lookups atomic.Int64
	webcheck.SetResolver(f, func(string) []netip.AddrPort {
		if lookups.Add(1) == 1 {
			return []netip.AddrPort{ap}
		}
		return []netip.AddrPort{netip.AddrPortFrom(netip.MustParseAddr("127.0.0.2"), ap.Port())}
	})
	if body, err := f.Get(context.Background(), fileURL); !errors.Is(err, webcheck.ErrAddress) {
		t.Fatalf("Get = %q, %v; want ErrAddress", body, err)
	}
	if lookups.Load() != 2 {
		t.Errorf("%d lookups, want 2", lookups.Load())
	}
}

func TestBodyCap(t *testing.T) {
	for _, tc := range []struct {
		name    string
		size    int
		chunked bool
		ok      bool
	}{
		{"4 KiB", webcheck.MaxBody, false, true},
		{"one byte more", webcheck.MaxBody + 1, false, false},
		{"chunked, 4 KiB", webcheck.MaxBody, true, true},
		{"chunked, 1 MiB", 1 << 20, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
				if !tc.chunked {
					w.Header().Set("Content-Length", fmt.Sprint(tc.size))
				}
				for i := 0; i < tc.size; i += 1024 {
					w.Write([]byte(strings.Repeat("a", min(1024, tc.size-i))))
					if tc.chunked {
						w.(http.Flusher).Flush()
					}
				}
			})
			body, err := f.Get(context.Background(), fileURL)
			if tc.ok && (err != nil || len(body) != tc.size) {
				t.Errorf("%d bytes, %v", len(body), err)
			}
			if !tc.ok && !errors.Is(err, webcheck.ErrTooLarge) {
				t.Errorf("%d bytes, %v; want ErrTooLarge", len(body), err)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	f, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	webcheck.SetTimeout(f, 200*time.Millisecond)
	start := time.Now()
	_, err := f.Get(context.Background(), fileURL)
	if !errors.Is(err, webcheck.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

// A server whose certificate is not trusted, or that does not speak TLS, is not https.
func TestNotHTTPS(t *testing.T) {
	tlsServer := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer tlsServer.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()

	f := webcheck.New(models.RegistrableDomain)
	webcheck.ReachServer(f, tlsServer)
	webcheck.TrustSystemRoots(f) // which do not include the test server's authority
	if _, err := f.Get(context.Background(), fileURL); !errors.Is(err, webcheck.ErrNotHTTPS) {
		t.Errorf("untrusted certificate: %v, want ErrNotHTTPS", err)
	}

	f = webcheck.New(models.RegistrableDomain)
	webcheck.ReachServer(f, plain)
	if _, err := f.Get(context.Background(), fileURL); !errors.Is(err, webcheck.ErrNotHTTPS) {
		t.Errorf("plain http on the port: %v, want ErrNotHTTPS", err)
	}

	// The certificate is for example.com and its subdomains: another name is refused.
	f = webcheck.New(models.RegistrableDomain)
	webcheck.ReachServer(f, tlsServer)
	if _, err := f.Get(context.Background(), "https://example.org/x"); !errors.Is(err, webcheck.ErrNotHTTPS) {
		t.Errorf("wrong name: %v, want ErrNotHTTPS", err)
	}
}
