// Package webcheck fetches one small file from an organisation's own website, for the charter to
// check that the organisation put it there (a verified domain). The address is the organisation's
// to choose, so every fetch is built as what it is, a server-side request forgery target: https
// only, on port 443; the address is checked when the connection is made, on the address actually
// dialled (so a name that resolves to a public address first and a private one next, DNS
// rebinding, gains nothing), and again for every redirect, which must stay within the registrable
// domain; at most MaxRedirects of them, Timeout in all, MaxBody bytes read; no proxy, no cookies,
// no credentials, a fixed User-Agent.
package webcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// The limits of a fetch.
const (
	// Timeout bounds a whole fetch: resolving, connecting, TLS, redirects and reading the body.
	Timeout = 5 * time.Second
	// MaxBody is the most bytes of a response body read; a longer one is refused (ErrTooLarge).
	MaxBody = 4 << 10
	// MaxRedirects is how many redirects a fetch follows.
	MaxRedirects = 3
	// UserAgent names the fetcher to the site's operator, whose logs show it.
	UserAgent = "CharterDomainCheck/1.0 (checks a signatory's /.well-known/charter-verification.txt)"
)

// Why a fetch failed. The errors a Fetcher returns wrap one of these; test with errors.Is.
var (
	ErrNotHTTPS    = errors.New("webcheck: not https with a valid certificate")
	ErrAddress     = errors.New("webcheck: the address is not a public one")
	ErrRedirect    = errors.New("webcheck: redirected outside the domain, or too often")
	ErrNotFound    = errors.New("webcheck: no such file")
	ErrStatus      = errors.New("webcheck: the server did not answer 200 OK")
	ErrTooLarge    = errors.New("webcheck: the file is too large")
	ErrTimeout     = errors.New("webcheck: timed out")
	ErrUnreachable = errors.New("webcheck: the site cannot be reached")
)

// Fetcher fetches small files from websites. The zero value is not usable: make one with New.
// It is safe for concurrent use.
type Fetcher struct {
	domainOf func(host string) (string, error)
	timeout  time.Duration

	// Set only by tests (export_test.go), to reach a local TLS server: resolve replaces the DNS
	// lookup, allow the check of the dialled address, roots the system's certificate authorities.
	resolve func(ctx context.Context, host, port string) ([]netip.AddrPort, error)
	allow   func(netip.Addr) bool
	roots   *x509.CertPool
}

// New returns a Fetcher whose redirects may go only to hosts with the same registrable domain as
// the address fetched, as domainOf gives it (the one function the site uses for that:
// models.RegistrableDomain).
func New(domainOf func(host string) (string, error)) *Fetcher {
	return &Fetcher{domainOf: domainOf, timeout: Timeout, resolve: lookup, allow: Public}
}

// Get fetches rawURL, an https:// address on the default port, and returns the body of its 200
// answer, at most MaxBody bytes.
func (f *Fetcher) Get(ctx context.Context, rawURL string) ([]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" {
		return nil, ErrNotHTTPS
	}
	domain, err := f.allowedURL(u, "")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	client := &http.Client{
		Transport: &http.Transport{
			Proxy:                  nil, // never a proxy from the environment
			DialContext:            f.dial,
			TLSClientConfig:        &tls.Config{RootCAs: f.roots, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:    f.timeout,
			ResponseHeaderTimeout:  f.timeout,
			DisableKeepAlives:      true,
			DisableCompression:     true, // the cap counts the bytes that arrive
			MaxResponseHeaderBytes: 16 << 10,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrRedirect, MaxRedirects)
			}
			if req.URL.Scheme != "https" {
				return fmt.Errorf("%w: redirected to %s", ErrNotHTTPS, req.URL.Scheme)
			}
			_, err := f.allowedURL(req.URL, domain)
			return err
		},
		Timeout: f.timeout,
		// Jar is nil: no cookie is sent or kept.
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, ErrNotHTTPS
	}
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("Accept", "text/plain")
	resp, err := client.Do(req)
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, ErrNotFound
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: %d", ErrStatus, resp.StatusCode)
	case resp.ContentLength > MaxBody:
		return nil, ErrTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, classify(ctx, err)
	}
	if len(body) > MaxBody {
		return nil, ErrTooLarge
	}
	return body, nil
}

// allowedURL checks an address to fetch, the first or one redirected to: no user name or
// password, the default port, a host with a registrable domain, and that domain the same as
// domain unless domain is "". It returns the registrable domain.
func (f *Fetcher) allowedURL(u *url.URL, domain string) (string, error) {
	if u.User != nil {
		return "", fmt.Errorf("%w: credentials in the address", ErrRedirect)
	}
	if p := u.Port(); p != "" && p != "443" {
		return "", fmt.Errorf("%w: port %s", ErrAddress, p)
	}
	d, err := f.domainOf(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("%w: %q has no registrable domain", ErrAddress, u.Hostname())
	}
	if domain != "" && d != domain {
		return "", fmt.Errorf("%w: from %s to %s", ErrRedirect, domain, d)
	}
	return d, nil
}

// lookup resolves host with the system's resolver.
func lookup(ctx context.Context, host, port string) ([]netip.AddrPort, error) {
	p, err := netip.ParseAddrPort("0.0.0.0:" + port)
	if err != nil {
		return nil, err
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	out := make([]netip.AddrPort, len(ips))
	for i, ip := range ips {
		out[i] = netip.AddrPortFrom(ip, p.Port())
	}
	return out, nil
}

// dial connects to one of the addresses host resolves to. Each connection is checked by control
// just before it is made, on the address it is made to.
func (f *Fetcher) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := f.resolve(ctx, host, port)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreachable, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("%w: %s has no address", ErrUnreachable, host)
	}
	d := net.Dialer{Control: f.control}
	var errs []error
	for _, a := range addrs {
		conn, err := d.DialContext(ctx, network, a.String())
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// control refuses a connection to an address that is not public. It runs for every connection,
// after the name is resolved and before the connection is made, on the very address it is made to.
func (f *Fetcher) control(network, address string, _ syscall.RawConn) error {
	if network != "tcp4" && network != "tcp6" {
		return fmt.Errorf("%w: network %s", ErrAddress, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !f.allow(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrAddress, address)
	}
	return nil
}

// classify turns what the HTTP client returned into one of the package's errors, keeping the
// details for the log.
func classify(ctx context.Context, err error) error {
	var (
		unknownCA   x509.UnknownAuthorityError
		invalidCert x509.CertificateInvalidError
		hostname    x509.HostnameError
		record      tls.RecordHeaderError
		alert       tls.AlertError
		verify      *tls.CertificateVerificationError
		netErr      net.Error
	)
	for _, e := range []error{ErrAddress, ErrRedirect, ErrNotHTTPS} { // ours, from dial or a redirect
		if errors.Is(err, e) {
			return fmt.Errorf("%w: %v", e, err)
		}
	}
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &invalidCert), errors.As(err, &hostname),
		errors.As(err, &record), errors.As(err, &alert), errors.As(err, &verify), errors.Is(err, http.ErrSchemeMismatch):
		return fmt.Errorf("%w: %v", ErrNotHTTPS, err)
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Errorf("%w: %v", ErrTimeout, err)
	}
	return fmt.Errorf("%w: %v", ErrUnreachable, err)
}
