package models

import (
	"context"
	"time"
)

// ClaimDueMail returns up to limit unsent messages that are due at now, oldest first, and leases
// each for lease: its next attempt is moved to now+lease with a conditional UPDATE, so that a
// second worker (another instance) does not send it too. A worker that dies while sending leaves
// the message to be sent again when the lease runs out: mail is delivered at least once.
func (s *Store) ClaimDueMail(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]OutboxMessage, error) {
	db := s.DB.WithContext(ctx)
	var due []OutboxMessage
	err := db.Where("sent_at IS NULL AND next_attempt_at <= ?", now).
		Order("next_attempt_at, id").Limit(limit).Find(&due).Error
	if err != nil {
		return nil, err
	}
	claimed := due[:0]
	for _, m := range due {
		res := db.Model(&OutboxMessage{}).
			Where("id = ? AND sent_at IS NULL AND next_attempt_at <= ?", m.ID, now).
			Update("next_attempt_at", now.Add(lease))
		if res.Error != nil {
			return nil, res.Error
		}
		if res.RowsAffected == 1 {
			claimed = append(claimed, m)
		}
	}
	return claimed, nil
}

// MarkMailSent records that an SMTP server accepted the message (or, with no SMTP configured,
// that it was written to the log).
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return s.DB.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ?", id).
		Updates(map[string]any{"sent_at": at, "last_error": ""}).Error
}

// MarkMailFailed records a failed attempt to send the message and when to try again.
func (s *Store) MarkMailFailed(ctx context.Context, id int64, problem string, next time.Time) error {
	if len(problem) > 1000 {
		problem = problem[:1000]
	}
	return s.DB.WithContext(ctx).Exec(
		"UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND sent_at IS NULL",
		problem, next, id).Error
}

// MailByID returns one message of the outbox.
func (s *Store) MailByID(ctx context.Context, id int64) (*OutboxMessage, error) {
	var m OutboxMessage
	if err := s.DB.WithContext(ctx).Take(&m, id).Error; err != nil {
		return nil, err
	}
	return &m, nil
}
