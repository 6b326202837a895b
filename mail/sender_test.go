package mail_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"charter/mail"
	"charter/mail/mailtest"
	"charter/models"
)

func TestSMTPSenderModes(t *testing.T) {
	cases := []struct {
		name string
		opts mailtest.Options
	}{
		{"plain", mailtest.Options{}},
		{"starttls", mailtest.Options{StartTLS: true}},
		{"starttls with login", mailtest.Options{StartTLS: true, User: "charter", Password: "s3cret:/@"}},
		{"smtps with login", mailtest.Options{ImplicitTLS: true, User: "charter", Password: "pw"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.StartWith(t, "127.0.0.1:0", tc.opts)
			s, err := mail.NewSMTPSender(srv.URL(), "Charter <charter@example.org>")
			if err != nil {
				t.Fatal(err)
			}
			if srv.RootCAs != nil {
				s.TLSConfig = &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1"}
			}
			err = s.Send(context.Background(), &models.OutboxMessage{ID: 1, ToAddr: "anna@example.org",
				Subject: "Подтвердите подпись: Фонд «Дети онлайн»", Body: "Open https://charter.example.org/confirm/abc_DEF-123 now.\n"})
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			m := srv.Wait(t, 1, 5*time.Second)[0]
			if m.To[0] != "anna@example.org" || m.Subject != "Подтвердите подпись: Фонд «Дети онлайн»" ||
				m.Link("/confirm/") != "https://charter.example.org/confirm/abc_DEF-123" {
				t.Errorf("received to %v, %q, body %q", m.To, m.Subject, m.Body)
			}
		})
	}
}

func TestSMTPSenderFailsWithoutAcceptance(t *testing.T) {
	msg := &models.OutboxMessage{ID: 1, ToAddr: "anna@example.org", Subject: "s", Body: "b"}

	srv := mailtest.StartWith(t, "127.0.0.1:0", mailtest.Options{StartTLS: true, User: "charter", Password: "right"})
	s, _ := mail.NewSMTPSender(strings.Replace(srv.URL(), "right", "wrong", 1), "charter@example.org")
	s.TLSConfig = &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1"}
	if err := s.Send(context.Background(), msg); err == nil {
		t.Error("sent with a wrong password")
	}

	// A certificate nobody vouches for is refused.
	s, _ = mail.NewSMTPSender(srv.URL(), "charter@example.org")
	if err := s.Send(context.Background(), msg); err == nil {
		t.Error("sent over TLS to a server with an untrusted certificate")
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages arrived", n)
	}
}

func TestNewSMTPSenderRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"http://mail.example.org", "smtp://", "smtp://mail.example.org:port", "mail.example.org"} {
		if _, err := mail.NewSMTPSender(u, "charter@example.org"); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}

func TestBackoffDoublesUpToAnHour(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		if got := mail.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if got := mail.Backoff(50); got != time.Hour {
		t.Errorf("Backoff(50) = %s, want the 1 h ceiling", got)
	}
}
