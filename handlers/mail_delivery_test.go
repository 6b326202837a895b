package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"charter/mail"
	"charter/mail/mailtest"
	"charter/models/dbtest"
)

func TestMailWaitsForSMTPToComeBack(t *testing.T) {
	a := newApp(t, notifyAdmins)
	// An SMTP server that is down: its port is known, nothing listens on it.
	down := mailtest.Start(t)
	addr := down.Addr
	down.Close()
	sender, err := mail.NewSMTPSender("smtp://"+addr, "Charter <charter@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(a.store, sender, a.h.Log)
	ctx := context.Background()

	if rec := a.sendForm("/sign", "/sign", validSignup(a)); rec.Code != http.StatusSeeOther {
		t.Fatalf("signing while SMTP is down = %d, want 303 like any other time", rec.Code)
	}
	if n := w.SendDue(ctx); n != 0 {
		t.Fatalf("%d sent to a server that is down", n)
	}
	msgs := outbox(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")
	if len(msgs) != 1 || msgs[0].SentAt != nil || msgs[0].Attempts != 1 || msgs[0].LastError == "" ||
		!msgs[0].NextAttemptAt.Equal(a.clock.Now().Add(mail.FirstBackoff)) {
		t.Fatalf("after a failed attempt: %+v", msgs)
	}

	// Still down at the next attempt: the wait doubles.
	a.clock.Add(mail.FirstBackoff)
	w.SendDue(ctx)
	if m := outbox(t, a.store, msgs[0].ToAddr)[0]; m.Attempts != 2 || !m.NextAttemptAt.Equal(a.clock.Now().Add(2*mail.FirstBackoff)) {
		t.Fatalf("after two failed attempts: attempts %d, next %v", m.Attempts, m.NextAttemptAt)
	}

	// The server comes back; the message goes at its next attempt, not before.
	up := mailtest.StartAt(t, addr)
	if n := w.SendDue(ctx); n != 0 {
		t.Fatalf("%d sent before the backoff ran out", n)
	}
	a.clock.Add(2 * mail.FirstBackoff)
	if n := w.SendDue(ctx); n != 1 {
		t.Fatalf("%d sent once the server was back, want 1", n)
	}
	got := up.Wait(t, 1, 5*time.Second)
	if got[0].Link("/confirm/") == "" {
		t.Errorf("the mail that arrived has no confirmation link:\n%s", got[0].Body)
	}
	if m := outbox(t, a.store, msgs[0].ToAddr)[0]; m.SentAt == nil || m.LastError != "" {
		t.Errorf("after delivery: sent %v, last error %q", m.SentAt, m.LastError)
	}
	if n := w.SendDue(ctx); n != 0 || len(up.Messages()) != 1 {
		t.Errorf("a delivered message was sent again")
	}
}

func TestUnsentMailIsSentAfterARestart(t *testing.T) {
	a := newApp(t, notifyAdmins)
	// Signed while no mail worker runs; then the process "dies".
	a.sendForm("/sign", "/sign", validSignup(a))
	if err := a.store.Close(); err != nil {
		t.Fatal(err)
	}

	// A new process on the same database file, with a new worker.
	smtp := mailtest.Start(t)
	store := dbtest.Open(t, a.dbPath, a.clock.Now)
	sender, err := mail.NewSMTPSender(smtp.URL(), "Charter <charter@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	w := mail.NewWorker(store, sender, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.PollInterval = 50 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	m := smtp.Wait(t, 1, 10*time.Second)[0]
	if m.To[0] != "anna.schmidt@aerzte-ohne-grenzen.de" || !strings.Contains(m.Subject, "Confirm") || m.Link("/confirm/") == "" {
		t.Errorf("after the restart: mail to %v, %q", m.To, m.Subject)
	}
}

func TestLogSenderWritesTheLinkToTheLog(t *testing.T) {
	a := newApp(t, notifyAdmins)
	w := mail.NewWorker(a.store, &mail.LogSender{Log: a.h.Log}, a.h.Log)
	a.sendForm("/sign", "/sign", validSignup(a))
	if n := w.SendDue(context.Background()); n != 1 {
		t.Fatalf("%d messages logged, want 1", n)
	}
	link := linkIn(outbox(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")[0].Body, "/confirm/")
	if logs := a.logs.String(); !strings.Contains(logs, "links="+link) {
		t.Errorf("the log does not give the confirmation link %s:\n%s", link, logs)
	}
	if m := outbox(t, a.store, "anna.schmidt@aerzte-ohne-grenzen.de")[0]; m.SentAt == nil {
		t.Error("a logged message stays unsent")
	}
}
