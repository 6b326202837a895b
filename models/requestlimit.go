package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// RequestRule is a per-client request limit: bursts of Burst requests, then one every Every.
type RequestRule struct {
	Name  string        // the group of forms it guards; part of the key
	Every time.Duration // one request comes back after this long
	Burst int           // requests a full allowance holds
}

// TakeRequest spends one request of client's allowance under rule, if one is left. The check and
// the spending are one conditional upsert (GCRA), so concurrent requests cannot both take the
// last one, whichever instance serves them. When it is spent, wait says how long until the next
// request is allowed.
func (s *Store) TakeRequest(ctx context.Context, rule RequestRule, client string) (ok bool, wait time.Duration, err error) {
	key := rule.Name + ":" + client
	now := s.Now().UnixMilli()
	every := rule.Every.Milliseconds()
	slack := int64(rule.Burst-1) * every
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var tat []int64
		err := tx.Raw(`INSERT INTO request_limits (key, tat_ms) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET tat_ms =
				CASE WHEN request_limits.tat_ms > ? THEN request_limits.tat_ms ELSE ? END + ?
			WHERE request_limits.tat_ms <= ?
			RETURNING tat_ms`, key, now+every, now, now, every, now+slack).Scan(&tat).Error
		if err != nil || len(tat) == 1 {
			ok = err == nil
			return err
		}
		if err := tx.Raw("SELECT tat_ms FROM request_limits WHERE key = ?", key).Scan(&tat).Error; err != nil {
			return err
		}
		if len(tat) == 1 {
			wait = time.Duration(tat[0]-slack-now) * time.Millisecond
		}
		return nil
	})
	return ok, max(wait, 0), err
}

// PurgeRequestLimits deletes the allowances that are full again: they say nothing.
func (s *Store) PurgeRequestLimits(ctx context.Context, now time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Exec("DELETE FROM request_limits WHERE tat_ms <= ?", now.UnixMilli())
	return res.RowsAffected, res.Error
}
