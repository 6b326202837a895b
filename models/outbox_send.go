package models

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
)

// ClaimDueMail returns up to limit unsent messages that are due, oldest first, and leases each
// for lease: one statement moves their next attempt to now+lease, so that a second worker (another
// instance) does not send them too. On PostgreSQL it skips the rows another worker's claim has
// locked rather than wait for them, and "now" is the database's clock (SharedNow), so that
// instances whose clocks differ agree on when a lease runs out. A worker that dies while sending
// leaves the message to be sent again when the lease runs out: mail is delivered at least once.
// Failed messages (FailedAt set) are not claimed.
func (s *Store) ClaimDueMail(ctx context.Context, limit int, lease time.Duration) ([]OutboxMessage, error) {
	var claimed []OutboxMessage
	// In a transaction so that, on SQLite, the UPDATE … RETURNING queues for the write slot.
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now, err := s.SharedNow(tx)
		if err != nil {
			return err
		}
		return tx.Raw("UPDATE outbox SET next_attempt_at = ? WHERE id IN ("+
			"SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? "+
			"ORDER BY next_attempt_at, id LIMIT ?"+s.dialect.skipLocked()+") RETURNING *",
			now.Add(lease), now, limit).Scan(&claimed).Error
	})
	slices.SortFunc(claimed, func(a, b OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	return claimed, err
}

// MarkMailSent records that an SMTP server accepted the message (or, with no SMTP configured,
// that it was written to the log).
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return s.DB.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ?", id).
		Updates(map[string]any{"sent_at": at, "last_error": ""}).Error
}

// MarkMailFailed records a failed attempt to send the message, with a classified reason (which
// must not hold the recipient's address), and when to try again.
func (s *Store) MarkMailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	return s.DB.WithContext(ctx).Exec(
		"UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND sent_at IS NULL",
		clip(reason), next, id).Error
}

// GiveUpMail records a last failed attempt and stops trying: the message shows on the console's
// failed-mail page until an administrator sends it again. The audit log notes it, without the
// address.
func (s *Store) GiveUpMail(ctx context.Context, id int64, reason string, at time.Time) error {
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m OutboxMessage
		if err := tx.Take(&m, id).Error; err != nil {
			return err
		}
		res := tx.Exec("UPDATE outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? "+
			"WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL", clip(reason), at, id)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: at, Actor: ActorSystem, SignatoryID: m.SignatoryID,
			Action: ActionMailFailed, Reason: clip(reason)})
	})
}

func clip(reason string) string {
	if len(reason) > 300 {
		return reason[:300]
	}
	return reason
}

// FailedMail returns the messages delivery was given up on, newest first, at most limit.
func (s *Store) FailedMail(ctx context.Context, limit int) ([]OutboxMessage, error) {
	var ms []OutboxMessage
	err := s.DB.WithContext(ctx).Where("failed_at IS NOT NULL AND sent_at IS NULL").
		Order("failed_at DESC, id DESC").Limit(limit).Find(&ms).Error
	return ms, err
}

// ErrMailNotFailed is returned by RetryMail for a message that is not (or no longer) failed.
var ErrMailNotFailed = errors.New("mail is not failed")

// RetryMail makes a failed message due again, with its attempts counted from zero, for an
// administrator; the audit log records who did it.
func (s *Store) RetryMail(ctx context.Context, id, adminID int64) error {
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var m OutboxMessage
		err := tx.Where("id = ? AND failed_at IS NOT NULL AND sent_at IS NULL", id).Take(&m).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrMailNotFailed
		}
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = ? WHERE id = ?",
			now, id).Error; err != nil {
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorAdmin, AdminID: &adminID,
			SignatoryID: m.SignatoryID, Action: ActionMailResent, Reason: m.LastError})
	})
}

// MailByID returns one message of the outbox.
func (s *Store) MailByID(ctx context.Context, id int64) (*OutboxMessage, error) {
	var m OutboxMessage
	if err := s.DB.WithContext(ctx).Take(&m, id).Error; err != nil {
		return nil, err
	}
	return &m, nil
}
