package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"charter/handlers"
	"charter/mail"
	"charter/mail/mailtest"
	"charter/models"
	"charter/models/dbtest"
)

// server is the whole application, wired as main wires it (the handlers, the outbox worker
// delivering over SMTP), on a fresh database, listening on a loopback port, with a real SMTP
// server in the test process receiving its mail.
type server struct {
	URL   string
	Store *models.Store
	SMTP  *mailtest.Server
	// clock is the wall clock plus what the test adds, so that "a person took a minute to fill
	// in the form" needs no real minute.
	clock *dbtest.Clock
}

func startServer(t *testing.T) *server {
	t.Helper()
	source, err := os.ReadFile("../charter.md")
	if err != nil {
		t.Fatal(err)
	}
	russian, err := os.ReadFile("../charter.ru.md")
	if err != nil {
		t.Fatal(err)
	}
	charter, err := models.NewCharter(source, map[string][]byte{"ru": russian})
	if err != nil {
		t.Fatal(err)
	}
	clk := dbtest.NewRunningClock()
	store := dbtest.New(t, clk.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	smtp := mailtest.Start(t)
	sender, err := mail.NewSMTPSender(smtp.URL(), "Charter <charter@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	worker := mail.NewWorker(store, sender, log)
	worker.PollInterval = 100 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { worker.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	h := &handlers.Handler{
		Store:        store,
		Log:          log,
		Charter:      charter,
		Now:          clk.Now,
		Mailer:       worker,
		NotifyAdmins: true,
	}
	ts := httptest.NewUnstartedServer(nil)
	h.BaseURL = "http://" + ts.Listener.Addr().String()
	ts.Config.Handler = h.App()
	ts.Start()
	t.Cleanup(ts.Close)
	return &server{URL: ts.URL, Store: store, SMTP: smtp, clock: clk}
}

// addAdmin creates an administrator who can sign in.
func (s *server) addAdmin(t *testing.T, email, password string) {
	t.Helper()
	s.addAdminIn(t, "en", email, password)
}

// addAdminIn creates an administrator who works in the language lang (as
// `charter admin create --lang` does): the console and the mail to them are in it.
func (s *server) addAdminIn(t *testing.T, lang, email, password string) {
	t.Helper()
	ctx := context.Background()
	a, err := s.Store.CreateAdmin(ctx, email, password)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetAdminLang(ctx, a.ID, lang); err != nil {
		t.Fatal(err)
	}
}

// linkMailedTo waits for the n-th message to an address and returns the link in it that
// contains part.
func (s *server) linkMailedTo(t *testing.T, to string, n int, part string) string {
	t.Helper()
	m := s.mailTo(t, to, n)
	link := m.Link(part)
	if link == "" {
		t.Fatalf("message %d to %s has no link with %q:\n%s", n, to, part, m.Body)
	}
	return link
}

// mailTo waits for the n-th message to an address and returns it.
func (s *server) mailTo(t *testing.T, to string, n int) mailtest.Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var seen int
		for _, m := range s.SMTP.Messages() {
			for _, rcpt := range m.To {
				if rcpt == to {
					seen++
					if seen == n {
						return m
					}
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("message %d to %s never arrived", n, to)
	return mailtest.Message{}
}
