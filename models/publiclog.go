package models

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"charter/publiclog"
)

// The public log (docs/log.md): every public event of a signatory is appended, in the same
// transaction as the change, to an append-only Merkle tree whose signed checkpoints anyone can
// check with `charter verify-log`. Entries and the tree's stored hashes are in the tables of
// migration 0011, which refuse updates and deletes.

// LogEntry is a row of the public log.
type LogEntry struct {
	Idx         int64 `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt   time.Time
	SignatoryID int64
	Event       publiclog.Event
	Body        string
}

// logHash is a row of the tree's stored hashes, by tlog's stored hash index.
type logHash struct {
	Idx  int64 `gorm:"primaryKey;autoIncrement:false"`
	Hash []byte
}

func (logHash) TableName() string { return "log_hashes" }

// LogEvent is what appendLog writes: an event of a signatory, with its public facts as they are
// after the change. Nothing else may go into the log: it is forever.
type LogEvent struct {
	Event          publiclog.Event
	SignatoryID    int64
	Slug           string
	Name           string
	Country        string
	CharterVersion string
}

// appendLog appends e to the public log inside tx, as entry number (size of the log), and the
// stored hashes the new entry adds to the tree. It must run in the transaction of the change it
// records, so that both commit or neither.
//
// Appends must be serialised. On SQLite the single writer does it: tx holds the write lock from
// BEGIN IMMEDIATE. Should two appends still race (another database, another writer), both
// compute the same index and the second INSERT breaks the primary key of log_entries, so its
// transaction fails rather than fork the log. On PostgreSQL, take a transaction-scoped lock
// first (SELECT pg_advisory_xact_lock(…) or LOCK TABLE log_entries IN EXCLUSIVE MODE) so that
// racing appends wait instead of failing.
func appendLog(tx *gorm.DB, now time.Time, e LogEvent) (LogEntry, error) {
	// Appends take turns: SQLite's writing transactions already do; on PostgreSQL a transaction
	// lock makes the next append read the size this one leaves.
	if stmt := dialectOfTx(tx).xactLock(publicLogLock); stmt != "" {
		if err := tx.Exec(stmt).Error; err != nil {
			return LogEntry{}, err
		}
	}
	n, err := logSize(tx)
	if err != nil {
		return LogEntry{}, err
	}
	text, err := publiclog.Entry{
		Index: n, Time: now, Event: e.Event, Slug: e.Slug, Name: e.Name, Country: e.Country,
		CharterVersion: e.CharterVersion,
	}.Text()
	if err != nil {
		return LogEntry{}, err
	}
	hashes, err := tlog.StoredHashes(n, text, hashReader(tx))
	if err != nil {
		return LogEntry{}, fmt.Errorf("public log: hash entry %d: %w", n, err)
	}
	entry := LogEntry{Idx: n, CreatedAt: now.UTC().Truncate(time.Second), SignatoryID: e.SignatoryID, Event: e.Event, Body: string(text)}
	if err := tx.Create(&entry).Error; err != nil {
		return LogEntry{}, fmt.Errorf("public log: append entry %d: %w", n, err)
	}
	rows := make([]logHash, len(hashes))
	first := tlog.StoredHashIndex(0, n)
	for i, h := range hashes {
		rows[i] = logHash{Idx: first + int64(i), Hash: h[:]}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return LogEntry{}, fmt.Errorf("public log: store the hashes of entry %d: %w", n, err)
	}
	return entry, nil
}

// appendSignatoryLog appends event to the public log for signatory id, with its public facts as
// they now are in tx.
func appendSignatoryLog(tx *gorm.DB, now time.Time, id int64, event publiclog.Event) error {
	var sig Signatory
	if err := tx.Select("id", "slug", "name", "country", "charter_version").Take(&sig, id).Error; err != nil {
		return err
	}
	_, err := appendLog(tx, now, LogEvent{Event: event, SignatoryID: sig.ID, Slug: sig.Slug, Name: sig.Name,
		Country: sig.Country, CharterVersion: sig.CharterVersion})
	return err
}

// logSize returns the number of entries in the log. The index is the primary key, so this is
// one look at the end of it.
func logSize(db *gorm.DB) (int64, error) {
	var last *int64
	if err := db.Raw("SELECT MAX(idx) FROM log_entries").Scan(&last).Error; err != nil {
		return 0, err
	}
	if last == nil {
		return 0, nil
	}
	return *last + 1, nil
}

// hashReader reads the tree's stored hashes through db, for tlog.
func hashReader(db *gorm.DB) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		if len(indexes) == 0 {
			return out, nil
		}
		var rows []logHash
		if err := db.Where("idx IN ?", indexes).Find(&rows).Error; err != nil {
			return nil, err
		}
		byIdx := make(map[int64][]byte, len(rows))
		for _, r := range rows {
			byIdx[r.Idx] = r.Hash
		}
		for i, idx := range indexes {
			h, ok := byIdx[idx]
			if !ok || len(h) != tlog.HashSize {
				return nil, fmt.Errorf("public log: stored hash %d is missing", idx)
			}
			copy(out[i][:], h)
		}
		return out, nil
	})
}

// LogPageSize is the most entries one request for entries returns.
const LogPageSize = 1000

// errLogRange is the answer to a range of entries, or a proof, beyond what the log holds.
var errLogRange = &Error{Kind: KindInvalid, Key: "log.bad_range"}

// LogHead returns the size of the log and the hash of its tree, read in one transaction.
func (s *Store) LogHead(ctx context.Context) (size int64, hash tlog.Hash, err error) {
	err = readLog(s.DB.WithContext(ctx), func(tx *gorm.DB) error {
		if size, err = logSize(tx); err != nil {
			return err
		}
		hash, err = tlog.TreeHash(size, hashReader(tx))
		return err
	})
	return size, hash, err
}

// LogEntries returns the canonical texts of entries start to end-1, which must lie within the
// log and number at most LogPageSize.
func (s *Store) LogEntries(ctx context.Context, start, end int64) ([][]byte, error) {
	if start < 0 || end <= start || end-start > LogPageSize {
		return nil, errLogRange
	}
	var rows []LogEntry
	if err := s.DB.WithContext(ctx).Where("idx >= ? AND idx < ?", start, end).Order("idx").Find(&rows).Error; err != nil {
		return nil, err
	}
	if int64(len(rows)) != end-start {
		return nil, errLogRange
	}
	texts := make([][]byte, len(rows))
	for i, r := range rows {
		texts[i] = []byte(r.Body)
	}
	return texts, nil
}

// LogInclusionProof returns the proof that entry index is in the tree of the first size entries.
func (s *Store) LogInclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	var p tlog.RecordProof
	err := readLog(s.DB.WithContext(ctx), func(tx *gorm.DB) error {
		n, err := logSize(tx)
		if err != nil {
			return err
		}
		if index < 0 || size <= index || size > n {
			return errLogRange
		}
		p, err = tlog.ProveRecord(size, index, hashReader(tx))
		return err
	})
	return p, err
}

// LogConsistencyProof returns the proof that the tree of the first old entries is a prefix of
// the tree of the first new entries.
func (s *Store) LogConsistencyProof(ctx context.Context, old, new int64) (tlog.TreeProof, error) {
	var p tlog.TreeProof
	err := readLog(s.DB.WithContext(ctx), func(tx *gorm.DB) error {
		n, err := logSize(tx)
		if err != nil {
			return err
		}
		if old < 1 || new < old || new > n {
			return errLogRange
		}
		p, err = tlog.ProveTree(new, old, hashReader(tx))
		return err
	})
	return p, err
}

// maxSignatoryLogEntries bounds the entries listed on a signatory's page.
const maxSignatoryLogEntries = 100

// SignatoryLogEntries returns the entries of the public log about one signatory, oldest first
// (at most 100).
func (s *Store) SignatoryLogEntries(ctx context.Context, signatoryID int64) ([]LogEntry, error) {
	var rows []LogEntry
	err := s.DB.WithContext(ctx).Select("idx", "created_at", "signatory_id", "event").
		Where("signatory_id = ?", signatoryID).Order("idx").Limit(maxSignatoryLogEntries).Find(&rows).Error
	return rows, err
}

// readLog runs fn on db, outside a transaction. None is needed: the log only grows, and an entry
// commits with its hashes, so once a size is read every hash of the tree of that size is there
// and stays as it is, whatever is appended meanwhile.
func readLog(db *gorm.DB, fn func(db *gorm.DB) error) error { return fn(db) }
