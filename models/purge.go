package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// UnconfirmedLifetime is how long an application may wait for its email to be confirmed before it
// is purged.
const UnconfirmedLifetime = 7 * 24 * time.Hour

// purgeBatch bounds one purge transaction, so that a large backlog does not hold the write lock
// for long.
const purgeBatch = 200

// PurgeUnconfirmed deletes the applications still unconfirmed UnconfirmedLifetime before now,
// with their tokens and flags (by cascade) and every email about them, which holds the contact's
// address. Each purge leaves an audit event with the signatory's id and the action only: no
// personal data. It returns how many were purged.
func (s *Store) PurgeUnconfirmed(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-UnconfirmedLifetime)
	purge, err := lookupTransition(StatusSubmitted, ActionPurged)
	if err != nil {
		return 0, err
	}
	total := 0
	for {
		var ids []int64
		err = s.DB.WithContext(ctx).Model(&Signatory{}).
			Where("status = ? AND created_at < ?", purge.from, cutoff).
			Order("created_at").Limit(purgeBatch).Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return total, err
		}
		n := 0
		err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for _, id := range ids {
				var stale int64
				err := tx.Model(&Signatory{}).
					Where("id = ? AND status = ? AND created_at < ?", id, purge.from, cutoff).Count(&stale).Error
				if err != nil {
					return err
				}
				if stale == 0 {
					continue // confirmed meanwhile
				}
				// The mail first: deleting the signatory would set its signatory_id to NULL.
				if err := tx.Where("signatory_id = ?", id).Delete(&OutboxMessage{}).Error; err != nil {
					return err
				}
				if err := tx.Delete(&Signatory{}, id).Error; err != nil {
					return err
				}
				if err := recordAudit(tx, &AuditEvent{
					CreatedAt: now, Actor: ActorSystem, SignatoryID: &id,
					Action: purge.action, FromStatus: purge.from, ToStatus: purge.to,
				}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if len(ids) < purgeBatch {
			return total, nil
		}
	}
}

// SentMailRetention is how long a sent email is kept in the outbox (for an administrator to see
// that it went out) before it is deleted: it holds the contact's address and name.
const SentMailRetention = 30 * 24 * time.Hour

// PurgeSentMail deletes the emails sent more than SentMailRetention before now, and returns how
// many. Unsent mail is never deleted here: it is still owed. The mail limiters that have run
// full again go too (they name mailboxes).
func (s *Store) PurgeSentMail(ctx context.Context, now time.Time) (int64, error) {
	if err := purgeMailLimits(s.DB.WithContext(ctx), now); err != nil {
		return 0, err
	}
	res := s.DB.WithContext(ctx).
		Where("sent_at IS NOT NULL AND sent_at < ?", now.Add(-SentMailRetention)).
		Delete(&OutboxMessage{})
	return res.RowsAffected, res.Error
}

// PurgeUsedStamps forgets the used form stamps that have expired by now (an expired stamp is
// refused for its age, used or not), and returns how many.
func (s *Store) PurgeUsedStamps(ctx context.Context, now time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Exec("DELETE FROM used_stamps WHERE expires_at <= ?", now.UTC())
	return res.RowsAffected, res.Error
}

// Purged counts what one run of PurgeExpired deleted.
type Purged struct {
	Applications  int   // never confirmed (PurgeUnconfirmed)
	SentMail      int64 // sent long enough ago (PurgeSentMail)
	UsedStamps    int64 // expired form stamps (PurgeUsedStamps)
	LoginLimits   int64 // sign-in allowances full again (PurgeLoginLimits)
	RequestLimits int64 // form allowances full again (PurgeRequestLimits)
	Handovers     int64 // hand-overs whose link expired (PurgeHandovers)
	// Skipped says nothing ran: another instance was purging the database (PostgreSQL).
	Skipped bool
}

// PurgeExpired runs every clean-up that is due at now: the server calls it at start and hourly.
// Each runs even when another fails; their errors are returned together. Instances sharing a
// PostgreSQL database purge one at a time: one that finds another purging skips its turn.
func (s *Store) PurgeExpired(ctx context.Context, now time.Time) (Purged, error) {
	var p Purged
	ran, err := s.ifUnlocked(ctx, purgeLock, func() error {
		var err error
		p, err = s.purgeExpired(ctx, now)
		return err
	})
	p.Skipped = !ran
	return p, err
}

func (s *Store) purgeExpired(ctx context.Context, now time.Time) (Purged, error) {
	var p Purged
	var errs [6]error
	p.Applications, errs[0] = s.PurgeUnconfirmed(ctx, now)
	p.SentMail, errs[1] = s.PurgeSentMail(ctx, now)
	p.UsedStamps, errs[2] = s.PurgeUsedStamps(ctx, now)
	p.LoginLimits, errs[3] = s.PurgeLoginLimits(ctx, now)
	p.RequestLimits, errs[4] = s.PurgeRequestLimits(ctx, now)
	p.Handovers, errs[5] = s.PurgeHandovers(ctx, now)
	return p, errors.Join(errs[:]...)
}
