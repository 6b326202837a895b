// Package models holds the data of the charter: the GORM models, the queries that read and change
// them, the signatory lifecycle and the rules that validate it. It knows nothing of HTTP.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"time"

	"gorm.io/driver/postgres"
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

	now     func() time.Time
	setNow  bool // now was given to Open: a test's clock, which SharedNow keeps to
	dialect dialect

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

// Open opens the database that dsn names (see DialectOf): a PostgreSQL URL, or the path of a
// SQLite file, created if need be. It does not touch the schema: call Migrate for that. now is the
// clock the store stamps records with; nil means time.Now.
func Open(ctx context.Context, dsn string, now func() time.Time) (*Store, error) {
	if DialectOf(dsn) == Postgres {
		return openPostgres(ctx, dsn, now)
	}
	return openSQLite(ctx, dsn, now)
}

func gormConfig(now func() time.Time) *gorm.Config {
	return &gorm.Config{
		Logger:  logger.Discard,
		NowFunc: func() time.Time { return clockOrNow(now)().UTC() },
		// Every write GORM makes runs in a transaction, and so, on SQLite, queues for the write
		// slot (writer.go); a lone INSERT … RETURNING would otherwise bypass it as a query.
		SkipDefaultTransaction: false,
	}
}

func newStore(db *gorm.DB, d dialect, now func() time.Time) *Store {
	return &Store{DB: db, now: clockOrNow(now), setNow: now != nil, dialect: d, gate: newPasswordGate(runtime.NumCPU())}
}

// openSQLite opens the SQLite file at path, with this process's writers queued (writer.go).
func openSQLite(ctx context.Context, path string, now func() time.Time) (*Store, error) {
	sqlDB, err := sql.Open(sqlite.DriverName, DSN(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db, err := gorm.Open(sqlite.New(sqlite.Config{Conn: newWriterPool(sqlDB)}), gormConfig(now))
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return newStore(db, sqliteDialect{}, now), nil
}

// maxPostgresConns bounds the connections one process holds: PostgreSQL gives each its own
// backend process, and several instances share the server's max_connections (100 by default).
const maxPostgresConns = 20

// openPostgres connects to the PostgreSQL database at dsn, through pgx. Writers need no queue
// here: PostgreSQL locks rows, not the database.
func openPostgres(ctx context.Context, dsn string, now func() time.Time) (*Store, error) {
	db, err := gorm.Open(postgres.New(postgres.Config{DSN: dsn}), gormConfig(now))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", RedactDSN(dsn), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(maxPostgresConns)
	sqlDB.SetMaxIdleConns(maxPostgresConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", RedactDSN(dsn), err)
	}
	return newStore(db, postgresDialect{}, now), nil
}

// RedactDSN returns dsn fit for a log line: a PostgreSQL URL without its password.
func RedactDSN(dsn string) string {
	if DialectOf(dsn) != Postgres {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// Dialect is the database the store runs on: SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect.name() }

func clockOrNow(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// SharedNow is the time that instances sharing the database agree on, for what they time
// together (the outbox's leases): the database's clock on PostgreSQL, where instances may run on
// machines whose clocks differ; the store's clock on SQLite, whose instances share one machine,
// and with a clock given to Open, so that tests move it.
func (s *Store) SharedNow(tx *gorm.DB) (time.Time, error) {
	query := s.dialect.clock()
	if query == "" || s.setNow {
		return s.Now(), nil
	}
	var now time.Time
	err := tx.Raw(query).Scan(&now).Error
	return now.UTC(), err
}

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

// ErrBackupPostgres is Backup's answer on PostgreSQL, whose own tool does it better.
var ErrBackupPostgres = errors.New("charter backup copies a SQLite database; back up PostgreSQL with pg_dump")

// Backup writes a consistent copy of the live database to path with VACUUM INTO. It is safe while
// the server is running: the copy is one read transaction's snapshot, and writers are not blocked.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.Dialect() != SQLite {
		return ErrBackupPostgres
	}
	if err := s.DB.WithContext(ctx).Exec("VACUUM INTO ?", path).Error; err != nil {
		return fmt.Errorf("back up to %s: %w", path, err)
	}
	return nil
}
