package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"charter/models"
	"charter/models/dbtest"
)

// Many writers at once, together holding the database for longer than SQLite's busy timeout
// (5 s): each must wait its turn and succeed, none may fail with "database is locked".
func TestConcurrentWritersQueueInsteadOfFailing(t *testing.T) {
	if testing.Short() {
		t.Skip("holds the database for about 6 seconds")
	}
	s := dbtest.New(t, nil)
	const writers, hold = 120, 50 * time.Millisecond
	var wg sync.WaitGroup
	errs := make(chan error, writers+20)
	for range writers {
		wg.Go(func() {
			errs <- s.DB.WithContext(context.Background()).Transaction(func(tx *gorm.DB) error {
				if err := tx.Create(&models.AuditEvent{CreatedAt: s.Now(), Actor: models.ActorSystem, Action: "queue-test"}).Error; err != nil {
					return err
				}
				time.Sleep(hold) // a slow transaction, as under load
				return nil
			})
		})
	}
	// Plain writes outside transactions queue too.
	for i := range 20 {
		wg.Go(func() {
			errs <- s.DB.Exec("INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)",
				fmt.Sprintf("queue-test-%d", i), []byte{0}, s.Now()).Error
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a writer failed: %v", err)
		}
	}
	var n int64
	s.DB.Model(&models.AuditEvent{}).Where("action = 'queue-test'").Count(&n)
	if n != writers {
		t.Errorf("%d of %d writes stored", n, writers)
	}
}
