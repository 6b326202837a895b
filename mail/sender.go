// Package mail owns outbound email: it delivers the outbox that models fills, over SMTP or, with no
// SMTP configured, to the log. Messages are written to the outbox in the same transaction as the
// change they tell of; this package only sends them, marking each sent once it was accepted.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"charter/models"
)

// Sender delivers one message. It returns nil only once the message has been accepted for
// delivery; an error means it was not (Classify tells whether trying again may help).
type Sender interface {
	Send(ctx context.Context, m *models.OutboxMessage) error
}

// Delivers reports whether a sender really delivers mail (true) or only writes it to the log.
func Delivers(s Sender) bool {
	_, logOnly := s.(*LogSender)
	return !logOnly
}

// NewSender returns an SMTP sender for smtpURL, or a LogSender when smtpURL is empty.
func NewSender(smtpURL, from string, log *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return &LogSender{Log: log}, nil
	}
	return NewSMTPSender(smtpURL, from)
}

// LogSender writes each message, links included, to the log instead of sending it. It is the
// embedded default, so that a newcomer running the site locally can follow the confirmation link
// from the console. The log then holds contact addresses; serve warns about it at start.
type LogSender struct {
	Log *slog.Logger
}

// Send logs the message and reports success, so the outbox marks it sent.
func (s *LogSender) Send(_ context.Context, m *models.OutboxMessage) error {
	s.Log.Info("mail not delivered (no SMTP server configured); here it is",
		"id", m.ID, "to", m.ToAddr, "subject", m.Subject, "links", strings.Join(linkRE.FindAllString(m.Body, -1), " "),
		"body", m.Body)
	return nil
}

// linkRE finds the links in a message, which LogSender repeats on their own so they are easy to
// copy from the console.
var linkRE = regexp.MustCompile(`https?://\S+`)

// sendTimeout bounds one delivery: connecting, the SMTP conversation and the upload.
const sendTimeout = 30 * time.Second

// SMTPSender delivers mail through one SMTP server.
type SMTPSender struct {
	// TLSConfig, if set, replaces the TLS settings (e.g. to trust a test server's certificate);
	// nil verifies the server against the system's roots.
	TLSConfig *tls.Config

	from string
	opts []gomail.Option
	host string
}

// NewSMTPSender configures delivery through the server at rawURL: smtp://host:port uses STARTTLS
// when the server offers it (port 587 by default), smtps://host:port speaks TLS from the first
// byte (port 465 by default). User name and password, if the URL has them, are used to log in.
func NewSMTPSender(rawURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("SMTP URL has no host")
	}
	opts := []gomail.Option{gomail.WithTimeout(sendTimeout)}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL(), gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		return nil, fmt.Errorf("SMTP URL must start with smtp:// or smtps://")
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP URL port %q: %w", p, err)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return &SMTPSender{from: from, opts: opts, host: host}, nil
}

// Send delivers the message over a new SMTP connection.
func (s *SMTPSender) Send(ctx context.Context, m *models.OutboxMessage) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.ToAddr); err != nil {
		return ErrBadRecipient // go-mail's error quotes the address
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	opts := s.opts
	if s.TLSConfig != nil {
		opts = append(opts[:len(opts):len(opts)], gomail.WithTLSConfig(s.TLSConfig))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	return client.DialAndSendWithContext(ctx, msg)
}
