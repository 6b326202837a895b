package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// UseStamp records that a public form's stamp has been accepted, and reports whether this was its
// first use. The stamp is kept (as its SHA-256) until expires, when it would be refused as too old
// anyway. The insert that fails on the primary key is the check, so of concurrent uses of one
// stamp, on any number of instances, exactly one is first.
func (s *Store) UseStamp(ctx context.Context, stamp string, expires time.Time) (bool, error) {
	sum := sha256.Sum256([]byte(stamp))
	res := s.DB.WithContext(ctx).Exec(
		"INSERT INTO used_stamps (hash, expires_at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING",
		hex.EncodeToString(sum[:]), expires.UTC())
	if res.Error != nil {
		return false, fmt.Errorf("record used stamp: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}
