package main

import (
	"io"
	"log"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"

	"github.com/emersion/go-smtp"
)

// sink is an SMTP server on 127.0.0.1 that accepts every message and counts them by recipient.
// It keeps the text of the last message to each recipient whose address starts with "watch", to
// follow the links in it.
type sink struct {
	mu   sync.Mutex
	got  map[string]int
	text map[string]string
	srv  *smtp.Server
	addr string
}

func startSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{got: map[string]int{}, text: map[string]string{}, addr: ln.Addr().String()}
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

// lastText is the text of the last message to a watched address, or "".
func (s *sink) lastText(to string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text[to]
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
	watched := slices.ContainsFunc(x.to, func(to string) bool { return strings.HasPrefix(to, "watch") })
	if !watched {
		io.Copy(io.Discard, r)
	}
	var text string
	if watched {
		if msg, err := mail.ReadMessage(r); err == nil {
			var body io.Reader = msg.Body
			if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
				body = quotedprintable.NewReader(body)
			}
			b, _ := io.ReadAll(body)
			text = string(b)
		}
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	for _, to := range x.to {
		x.s.got[to]++
		if watched {
			x.s.text[to] = text
		}
	}
	return nil
}
func (x *sinkSession) Reset()        { x.to = nil }
func (x *sinkSession) Logout() error { return nil }
