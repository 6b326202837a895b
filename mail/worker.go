package mail

import (
	"context"
	"log/slog"
	"time"

	"charter/models"
)

// Worker delivers the outbox: every PollInterval, and at once when woken, it claims the messages
// that are due and sends each. A message is marked sent only when the sender accepted it;
// otherwise it is tried again after a backoff that doubles up to MaxBackoff, until the server
// refuses it for good (a 5xx reply) or GiveUpAfter has passed: then it is marked failed and waits
// on the console's failed-mail page. Because the outbox
// is in the database, mail queued before a crash or restart is sent by the next worker.
type Worker struct {
	Store  *models.Store
	Sender Sender
	Log    *slog.Logger
	// PollInterval is how often the outbox is checked without a wake-up; 0 means 5 seconds.
	PollInterval time.Duration

	wake chan struct{}
}

// Backoff after the first failure, and its ceiling.
const (
	FirstBackoff = 30 * time.Second
	MaxBackoff   = time.Hour
)

// GiveUpAfter is how long a message that keeps failing temporarily (4xx replies, server down) is
// tried before it is marked failed, for an administrator to look at.
const GiveUpAfter = 3 * 24 * time.Hour

// batchSize is how many messages one pass claims.
const batchSize = 20

// lease is how long a claimed message is reserved for this worker: longer than one send can take.
const lease = 2 * time.Minute

// NewWorker returns a worker that delivers the store's outbox through sender.
func NewWorker(store *models.Store, sender Sender, log *slog.Logger) *Worker {
	return &Worker{Store: store, Sender: sender, Log: log, wake: make(chan struct{}, 1)}
}

// Wake asks the worker to look at the outbox now, e.g. because a handler has just queued a
// message. It never blocks; wake-ups while one is pending are merged.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers mail until ctx is cancelled. A message being sent when ctx is cancelled is
// finished first, so stopping the worker before closing the database loses nothing.
func (w *Worker) Run(ctx context.Context) {
	interval := w.PollInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		w.SendDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// SendDue sends every message due now, batch after batch, and returns how many were accepted.
// It stops early when ctx is cancelled.
func (w *Worker) SendDue(ctx context.Context) int {
	sent := 0
	for ctx.Err() == nil {
		// The database work uses its own context: a shutdown must not leave a message half
		// recorded after the server accepted it.
		msgs, err := w.Store.ClaimDueMail(context.WithoutCancel(ctx), batchSize, lease)
		if err != nil {
			w.Log.Error("outbox: cannot read due mail", "err", err)
			return sent
		}
		for i := range msgs {
			if w.send(ctx, &msgs[i]) {
				sent++
			}
		}
		if len(msgs) < batchSize {
			return sent
		}
	}
	return sent
}

// send delivers one claimed message and records the outcome.
func (w *Worker) send(ctx context.Context, m *models.OutboxMessage) bool {
	db := context.WithoutCancel(ctx)
	err := w.Sender.Send(context.WithoutCancel(ctx), m)
	if err == nil {
		if err := w.Store.MarkMailSent(db, m.ID, w.Store.Now()); err != nil {
			// Accepted but not recorded: it will be sent again when the lease runs out.
			w.Log.Error("outbox: mail sent but not marked sent", "id", m.ID, "err", err)
			return true
		}
		if Delivers(w.Sender) {
			w.Log.Info("mail sent", "id", m.ID, "attempts", m.Attempts+1)
		}
		return true
	}
	// The error's text names the recipient: only its classification is logged and stored.
	f := Classify(err)
	now := w.Store.Now()
	if f.Permanent || now.Sub(m.CreatedAt) >= GiveUpAfter {
		if !f.Permanent {
			f.Reason = "undelivered for too long; last: " + f.Reason
		}
		w.Log.Warn("mail not sent; given up, see the console's failed mail", "id", m.ID,
			"attempts", m.Attempts+1, "reason", f.Reason)
		if err := w.Store.GiveUpMail(db, m.ID, f.Reason, now); err != nil {
			w.Log.Error("outbox: cannot record failed mail", "id", m.ID, "err", err)
		}
		return false
	}
	next := now.Add(Backoff(m.Attempts + 1))
	w.Log.Warn("mail not sent; will try again", "id", m.ID, "attempts", m.Attempts+1,
		"next_attempt_at", next, "reason", f.Reason)
	if err := w.Store.MarkMailFailed(db, m.ID, f.Reason, next); err != nil {
		w.Log.Error("outbox: cannot record failed attempt", "id", m.ID, "err", err)
	}
	return false
}

// Backoff is how long to wait before the next attempt after the given number of failed ones:
// FirstBackoff, doubling each time, at most MaxBackoff.
func Backoff(attempts int) time.Duration {
	d := FirstBackoff
	for i := 1; i < attempts && d < MaxBackoff; i++ {
		d *= 2
	}
	return min(d, MaxBackoff)
}
