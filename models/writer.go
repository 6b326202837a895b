package models

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"gorm.io/gorm"
)

// SQLite lets one writer at a time hold the database. When many goroutines want to write at once,
// SQLite's busy handler makes each of them sleep and retry, with no queue: under a burst of
// sign-ups some writers lose every retry until busy_timeout runs out, and fail with "database is
// locked". writerPool queues the writers of this process in Go instead: a write transaction, or a
// write outside one, first takes the single write slot, and gives it back when it ends. Readers
// never wait for it (WAL). busy_timeout still arbitrates with other processes, such as
// `charter backup` or `charter admin`.
type writerPool struct {
	*sql.DB
	slot chan struct{} // capacity 1: held by the one writer of this process
}

// maxWriteWait bounds how long a writer queues for the slot: a bug that holds it turns into an
// error rather than a hang.
const maxWriteWait = 30 * time.Second

// errWriteWait is returned when the write slot stayed taken for maxWriteWait.
var errWriteWait = errors.New("waited too long to write to the database")

func newWriterPool(db *sql.DB) *writerPool {
	return &writerPool{DB: db, slot: make(chan struct{}, 1)}
}

func (p *writerPool) acquire(ctx context.Context) error {
	t := time.NewTimer(maxWriteWait)
	defer t.Stop()
	select {
	case p.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errWriteWait
	}
}

func (p *writerPool) release() { <-p.slot }

// GetDBConn gives GORM (and Store.SQL) the underlying pool.
func (p *writerPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

// BeginTx starts a transaction holding the write slot until it commits or rolls back. Every
// transaction here is a write transaction (BEGIN IMMEDIATE, see DSN).
func (p *writerPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.acquire(ctx); err != nil {
		return nil, err
	}
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		p.release()
		return nil, err
	}
	return &writerTx{Tx: tx, release: p.release}, nil
}

// ExecContext runs a statement outside a transaction (an UPDATE, INSERT, DELETE or pragma) while
// holding the write slot.
func (p *writerPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := p.acquire(ctx); err != nil {
		return nil, err
	}
	defer p.release()
	return p.DB.ExecContext(ctx, query, args...)
}

// writerTx is a transaction that gives the write slot back when it ends, once.
type writerTx struct {
	*sql.Tx
	once    sync.Once
	release func()
}

func (t *writerTx) Commit() error {
	err := t.Tx.Commit()
	t.once.Do(t.release)
	return err
}

func (t *writerTx) Rollback() error {
	err := t.Tx.Rollback()
	t.once.Do(t.release)
	return err
}
