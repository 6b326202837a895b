package main

import (
	"io"
	"log"
	"net"
	"sync"

	"github.com/emersion/go-smtp"
)

// sink is an SMTP server on 127.0.0.1 that accepts every message and counts them by recipient.
type sink struct {
	mu   sync.Mutex
	got  map[string]int
	srv  *smtp.Server
	addr string
}

func startSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{got: map[string]int{}, addr: ln.Addr().String()}
	s.srv = smtp.NewServer(s)
	s.srv.AllowInsecureAuth = true
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // a killed server drops its connection: expected here
	go s.srv.Serve(ln)
	return s, nil
}

func (s *sink) url() string { return "smtp://" + s.addr }
func (s *sink) close()      { s.srv.Close() }

// received is how many messages reached the address.
func (s *sink) received(to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got[to]
}

// NewSession implements smtp.Backend.
func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }

type sinkSession struct {
	s  *sink
	to []string
}

func (x *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}
func (x *sinkSession) Data(r io.Reader) error {
	io.Copy(io.Discard, r)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	for _, to := range x.to {
		x.s.got[to]++
	}
	return nil
}
func (x *sinkSession) Reset()        { x.to = nil }
func (x *sinkSession) Logout() error { return nil }
