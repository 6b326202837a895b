// Package mailtest runs a real SMTP server in the test process, on a loopback port, and keeps
// every message it receives, so tests can read the mail the application sends.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one email the server accepted.
type Message struct {
	From    string
	To      []string
	Subject string // decoded
	Body    string // the text, transfer encoding undone
	Raw     string
}

// Options make the server stricter, to test the sender's TLS and authentication.
type Options struct {
	// StartTLS offers STARTTLS; ImplicitTLS speaks TLS from the first byte (smtps). Both use a
	// self-signed certificate for 127.0.0.1 and localhost that Server.RootCAs trusts.
	StartTLS, ImplicitTLS bool
	// User and Password, if set, must be given with AUTH PLAIN (over TLS) before sending.
	User, Password string
}

// Server is an SMTP server on 127.0.0.1 that accepts any message.
type Server struct {
	Addr string // host:port it listens on
	// RootCAs trusts the server's certificate, when it has one.
	RootCAs *x509.CertPool

	opts Options

	srv    *smtp.Server
	ln     net.Listener
	mu     sync.Mutex
	msgs   []Message
	refuse map[string]int // recipient → SMTP code RCPT TO answers with
	got    chan struct{}
}

// Refuse makes the server answer RCPT TO for the address with code from now on: 550 (mailbox
// unavailable, permanent) or 450 (try again later, temporary), say. The reply's text names the
// address, as real servers' do. Code 0 accepts it again.
func (s *Server) Refuse(addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refuse == nil {
		s.refuse = map[string]int{}
	}
	s.refuse[strings.ToLower(addr)] = code
}

// Start runs a server on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartAt(t, "127.0.0.1:0")
}

// StartAt runs a server on addr until the test ends, e.g. on the address of one that was closed,
// to play an SMTP server coming back.
func StartAt(t testing.TB, addr string) *Server {
	t.Helper()
	return StartWith(t, addr, Options{})
}

// StartWith runs a server with options on addr until the test ends.
func StartWith(t testing.TB, addr string, opts Options) *Server {
	t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port of a server just closed may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("mailtest: listen on %s: %v", addr, err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln, opts: opts, got: make(chan struct{}, 1000)}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	serve := ln
	if opts.StartTLS || opts.ImplicitTLS {
		cfg, pool, err := selfSigned()
		if err != nil {
			ln.Close()
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.RootCAs = pool
		if opts.ImplicitTLS {
			serve = tls.NewListener(ln, cfg)
		} else {
			s.srv.TLSConfig = cfg
		}
	}
	go func() { _ = s.srv.Serve(serve) }()
	t.Cleanup(func() { s.Close() })
	return s
}

// URL is the CHARTER_SMTP_URL that reaches this server, with its user and password if it has them.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.opts.ImplicitTLS {
		u.Scheme = "smtps"
	}
	if s.opts.User != "" {
		u.User = url.UserPassword(s.opts.User, s.opts.Password)
	}
	return u.String()
}

// Close stops the server; mail sent to it afterwards fails as with a server that is down.
func (s *Server) Close() {
	_ = s.ln.Close() // also when Serve has not yet started and registered it
	_ = s.srv.Close()
}

// Messages returns a copy of the messages received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Wait returns the received messages once there are at least n, failing the test if they have
// not arrived within timeout.
func (s *Server) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if msgs := s.Messages(); len(msgs) >= n {
			return msgs
		}
		select {
		case <-s.got:
		case <-deadline:
			t.Fatalf("mailtest: %d message(s) arrived within %s, want %d", len(s.Messages()), timeout, n)
		}
	}
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Link returns the first URL in the message's body that contains part, or "".
func (m Message) Link(part string) string {
	for _, l := range linkRE.FindAllString(m.Body, -1) {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	select {
	case s.got <- struct{}{}:
	default:
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string {
	if x.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.opts.User || pass != x.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.User != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	code := x.s.refuse[strings.ToLower(to)]
	x.s.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1},
			Message: "<" + to + ">: mailbox unavailable"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: x.from, To: x.to, Raw: string(raw)}
	parsed, err := mail.ReadMessage(strings.NewReader(m.Raw))
	if err != nil {
		return errors.New("mailtest: unreadable message: " + err.Error())
	}
	var dec mime.WordDecoder
	if m.Subject, err = dec.DecodeHeader(parsed.Header.Get("Subject")); err != nil {
		m.Subject = parsed.Header.Get("Subject")
	}
	var body io.Reader = parsed.Body
	switch strings.ToLower(parsed.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	m.Body = strings.ReplaceAll(string(text), "\r\n", "\n")
	x.s.add(m)
	return nil
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	cfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return cfg, pool, nil
}
