// Package models holds the data of the charter: the GORM models, the queries that read and change
// them, the signatory lifecycle and the rules that validate it. It knows nothing of HTTP.
package models

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the application's handle on its database. Every query the handlers need is a method of
// Store, so that the SQL lives in this package alone.
type Store struct {
	DB *gorm.DB
	// MailLimits bound the mail the public forms can cause; zero fields take DefaultMailLimits.
	MailLimits MailLimits

	now func() time.Time

	gate      *passwordGate    // bounds the argon2id computations running at once
	checks    passwordCounters // how many ran
	deviceKey deviceKeyCache   // signs the device cookies of administrators
}

// DSN returns the SQLite data source name for the database file at path. The options are in the
// DSN, not run once as pragmas, so that every connection the pool opens gets them: WAL so readers
// never wait for the writer, a busy timeout so writers queue instead of failing, foreign keys on,
// and BEGIN IMMEDIATE so a writing transaction takes its lock up front rather than failing to
// upgrade a read lock halfway through.
func DSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	// The path is escaped as a URI path, so that a '?', '#' or '%' in a file name is part of the
	// name rather than the start of the options.
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if need be) the SQLite database at path. It does not touch the schema: call
// Migrate for that. now is the clock the store stamps records with; nil means time.Now.
func Open(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	sqlDB, err := sql.Open(sqlite.DriverName, DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db, err := gorm.Open(sqlite.New(sqlite.Config{Conn: newWriterPool(sqlDB)}), &gorm.Config{
		Logger:  logger.Discard,
		NowFunc: func() time.Time { return clockOrNow(now)().UTC() },
		// Every write GORM makes runs in a transaction, and so queues for the write slot
		// (writer.go); a lone INSERT … RETURNING would otherwise bypass it as a query.
		SkipDefaultTransaction: false,
	})
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return &Store{DB: db, now: clockOrNow(now), gate: newPasswordGate(runtime.NumCPU())}, nil
}

func clockOrNow(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// SQL returns the underlying connection pool.
func (s *Store) SQL() *sql.DB {
	sqlDB, _ := s.DB.DB()
	return sqlDB
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.SQL().Close() }

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.DB.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// Backup writes a consistent copy of the live database to path with VACUUM INTO. It is safe while
// the server is running: the copy is one read transaction's snapshot, and writers are not blocked.
func (s *Store) Backup(ctx context.Context, path string) error {
	if err := s.DB.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	return nil
}
