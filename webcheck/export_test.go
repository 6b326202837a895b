package webcheck

import (
	"context"
	"crypto/x509"
	"net/http/httptest"
	"net/netip"
	"time"
)

// The hooks below exist only in this package's tests: no setting, flag or variable of the
// environment reaches them.

// ReachServer makes f connect every host name to srv, a local TLS server, trusting its
// certificate and allowing its loopback address (and no other that is not public).
func ReachServer(f *Fetcher, srv *httptest.Server) netip.AddrPort {
	ap := netip.MustParseAddrPort(srv.Listener.Addr().String())
	f.resolve = func(context.Context, string, string) ([]netip.AddrPort, error) {
		return []netip.AddrPort{ap}, nil
	}
	f.allow = func(a netip.Addr) bool { return a == ap.Addr() || Public(a) }
	f.roots = x509.NewCertPool()
	if c := srv.Certificate(); c != nil { // nil for a plain http server
		f.roots.AddCert(c)
	}
	return ap
}

// TrustSystemRoots makes f trust the system's certificate authorities again, as it does outside
// tests (which do not include the test servers' own).
func TrustSystemRoots(f *Fetcher) { f.roots = nil }

// SetResolver replaces f's DNS lookup; the check of the dialled address stays as it is.
func SetResolver(f *Fetcher, resolve func(host string) []netip.AddrPort) {
	f.resolve = func(_ context.Context, host, _ string) ([]netip.AddrPort, error) { return resolve(host), nil }
}

// SetTimeout shortens f's timeout.
func SetTimeout(f *Fetcher, d time.Duration) { f.timeout = d }

// Dial is f's dialer; Control the check it runs on each connection.
var (
	Dial    = (*Fetcher).dial
	Control = (*Fetcher).control
)
