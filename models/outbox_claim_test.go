package models_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"charter/mail"
	"charter/models"
	"charter/models/dbtest"
)

// countingSender counts the messages it is asked to send, by id, taking a moment over each so
// that two workers' passes overlap.
type countingSender struct {
	mu    sync.Mutex
	times map[int64]int
}

func (c *countingSender) Send(context.Context, *models.OutboxMessage) error {
	time.Sleep(time.Millisecond)
	return nil
}

func (c *countingSender) count(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.times[id]++
}

// recordingSender wraps a countingSender so that each worker's sends are counted.
type recordingSender struct{ *countingSender }

func (r recordingSender) Send(ctx context.Context, m *models.OutboxMessage) error {
	r.count(m.ID)
	return r.countingSender.Send(ctx, m)
}

// TestTwoWorkersSendEachMailOnce runs two mail workers, each with its own Store on one database,
// as two instances would, over one outbox: every message is sent exactly once. On PostgreSQL the
// second instance's clock is three minutes ahead, more than a lease: leases timed by each
// instance's own clock would let it claim what the first has leased and not yet sent.
func TestTwoWorkersSendEachMailOnce(t *testing.T) {
	const messages = 200
	dsn := dbtest.NewDSN(t)
	a, b := dbtest.Open(t, dsn, nil), dbtest.Open(t, dsn, nil)
	if dbtest.Postgres() {
		b.SkewClock(3 * time.Minute)
	}
	now := a.Now()
	var queued []models.OutboxMessage
	for i := range messages {
		queued = append(queued, models.OutboxMessage{CreatedAt: now, ToAddr: "x@example.org",
			Subject: "s", Body: string(rune('a' + i%26)), NextAttemptAt: now})
	}
	if err := a.DB.CreateInBatches(&queued, 100).Error; err != nil {
		t.Fatal(err)
	}

	sender := &countingSender{times: map[int64]int{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var wg sync.WaitGroup
	for _, s := range []*models.Store{a, b} {
		w := mail.NewWorker(s, recordingSender{sender}, log)
		wg.Go(func() { w.SendDue(context.Background()) })
	}
	wg.Wait()

	if len(sender.times) != messages {
		t.Errorf("%d messages sent, want %d", len(sender.times), messages)
	}
	for id, n := range sender.times {
		if n != 1 {
			t.Errorf("message %d sent %d times", id, n)
		}
	}
	var unsent int64
	a.DB.Model(&models.OutboxMessage{}).Where("sent_at IS NULL").Count(&unsent)
	if unsent != 0 {
		t.Errorf("%d messages left unsent", unsent)
	}
}

// TestLeaseHoldsAcrossClocks: a message one instance has claimed is not claimed by another whose
// clock is ahead by more than the lease, on PostgreSQL, where the lease is timed by the
// database's clock. (SQLite's instances share one machine and its clock.)
func TestLeaseHoldsAcrossClocks(t *testing.T) {
	if !dbtest.Postgres() {
		t.Skip("instances on several machines share a PostgreSQL database only")
	}
	ctx := context.Background()
	dsn := dbtest.NewDSN(t)
	a, b := dbtest.Open(t, dsn, nil), dbtest.Open(t, dsn, nil)
	b.SkewClock(time.Hour)
	now := a.Now()
	for range 3 {
		if err := a.DB.Create(&models.OutboxMessage{CreatedAt: now, ToAddr: "x@example.org", Subject: "s",
			NextAttemptAt: now}).Error; err != nil {
			t.Fatal(err)
		}
	}
	first, err := a.ClaimDueMail(ctx, 2, 2*time.Minute)
	if err != nil || len(first) != 2 {
		t.Fatalf("first claim: %d messages, %v", len(first), err)
	}
	second, err := b.ClaimDueMail(ctx, 10, 2*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 1 || second[0].ID == first[0].ID || second[0].ID == first[1].ID {
		t.Errorf("the instance an hour ahead claimed %d messages (%v), want only the one left", len(second), second)
	}
}
