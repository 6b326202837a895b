package models

import (
	"context"
	"time"
)

// MigrateUpTo applies the migrations up to and including version last.
func (s *Store) MigrateUpTo(ctx context.Context, last int) error { return s.migrate(ctx, last) }

// RederivePublicFields is the Go step of migration 0008.
var RederivePublicFields = rederivePublicFields

// SearchIDs returns, by id, the signatories (in any status) whose name has a word starting with
// each of words: what the search index finds, asked directly.
func (s *Store) SearchIDs(words []string) ([]int64, error) {
	var query string
	var arg any
	switch d := s.dialect.(type) {
	case sqliteDialect:
		query, arg = "SELECT docid FROM signatory_search WHERE signatory_search MATCH ? ORDER BY docid", d.prefixQuery(words)
	case postgresDialect:
		query, arg = "SELECT s.id FROM signatories s WHERE "+nameVector+" @@ to_tsquery('simple', ?) ORDER BY s.id", d.prefixQuery(words)
	}
	var ids []int64
	err := s.DB.Raw(query, arg).Scan(&ids).Error
	return ids, err
}

// SkewClock sets the store's clock d away from the real time, as on a machine whose clock is
// off: unlike a clock given to Open, the store takes it for the real one.
func (s *Store) SkewClock(d time.Duration) { s.now = func() time.Time { return time.Now().Add(d) } }

// PurgeLock is the key of the lock PurgeExpired takes on PostgreSQL.
const PurgeLock = purgeLock
