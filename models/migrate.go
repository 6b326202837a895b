package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// Migration is one versioned schema change, read from migrations/DIALECT/NNNN_name.sql: each
// database has its own folder, with the same versions in both (TestMigrationFoldersMatch). Go, if set, runs
// after the SQL in the same transaction, for the data SQL cannot compute (goSteps).
type Migration struct {
	Version int
	Name    string
	SQL     string
	Go      func(tx *gorm.DB) error
	// ForeignKeysOff runs the migration on one connection with foreign key enforcement off, as a
	// table rebuild needs (rebuildTable): SQLite can only turn it off outside a transaction.
	ForeignKeysOff bool
	// Check, if set, runs before the SQL in the same transaction: it refuses, with a message
	// naming the rows to fix, data the SQL would fail on with a bare constraint error.
	Check func(tx *gorm.DB) error
}

// goSteps are the Go parts of migrations, by version; they run on both databases.
var goSteps = map[int]func(tx *gorm.DB) error{
	8:  rederivePublicFields,
	11: backfillPublicLog,
	13: verifyExistingByEmail,
}

// checks are the checks that run before migrations, by version (Migration.Check).
var checks = map[int]func(tx *gorm.DB) error{
	18: openApplicationsUnique,
}

// sqliteSteps are Go parts of migrations on SQLite alone: rebuilds of a table to change a
// constraint, which PostgreSQL does in the migration's SQL (ALTER TABLE). They run with foreign
// keys off.
var sqliteSteps = map[int]func(tx *gorm.DB) error{
	15: addEducationCategory,
}

// Migrations returns the embedded migrations of a dialect (SQLite or Postgres) in the order they
// apply.
func Migrations(dialect string) ([]Migration, error) {
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %q: name it NNNN_description.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile(dir + "/" + e.Name())
		if err != nil {
			return nil, err
		}
		m := Migration{Version: version, Name: name, SQL: string(body), Go: goSteps[version], Check: checks[version]}
		if step := sqliteSteps[version]; step != nil && dialect == SQLite {
			m.Go, m.ForeignKeysOff = step, true
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("two migrations have version %d", ms[i].Version)
		}
	}
	return ms, nil
}

// Migrate applies every migration the database has not yet recorded, each in its own transaction
// together with the row that records it, so a failed migration leaves no trace.
func (s *Store) Migrate(ctx context.Context) error {
	return s.migrate(ctx, -1)
}

// migrate applies the migrations up to and including version last, or all if last is negative.
func (s *Store) migrate(ctx context.Context, last int) error {
	ms, err := Migrations(s.Dialect())
	if err != nil {
		return err
	}
	db := s.DB.WithContext(ctx)
	// Instances starting together on one database take turns, each migration in a transaction
	// that first waits for the others (migrationLock); the one that comes second finds the
	// version applied and skips it.
	lock := func(tx *gorm.DB) error {
		if stmt := s.dialect.xactLock(migrationLock); stmt != "" {
			return tx.Exec(stmt).Error
		}
		return nil
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := lock(tx); err != nil {
			return err
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at ` + s.dialect.timestampType() + ` NOT NULL
	)`).Error
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []int
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&applied).Error; err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	done := make(map[int]bool, len(applied))
	for _, v := range applied {
		done[v] = true
	}
	for _, m := range ms {
		if done[m.Version] {
			continue
		}
		if last >= 0 && m.Version > last {
			break
		}
		apply := func(tx *gorm.DB) error {
			if err := lock(tx); err != nil {
				return err
			}
			var n int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n).Error; err != nil || n > 0 {
				return err
			}
			if m.Check != nil {
				if err := m.Check(tx); err != nil {
					return err
				}
			}
			if err := tx.Exec(m.SQL).Error; err != nil {
				return err
			}
			if m.Go != nil {
				if err := m.Go(tx); err != nil {
					return err
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, s.Now()).Error
		}
		var err error
		if m.ForeignKeysOff {
			err = withForeignKeysOff(db, func(conn *gorm.DB) error { return conn.Transaction(apply) })
		} else {
			err = db.Transaction(apply)
		}
		if err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// withForeignKeysOff runs fn on one connection of the pool with foreign key enforcement off, and
// turns it on again before the connection goes back to the pool. (SQLite only.)
func withForeignKeysOff(db *gorm.DB, fn func(conn *gorm.DB) error) error {
	return db.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("PRAGMA foreign_keys = OFF").Error; err != nil {
			return err
		}
		err := fn(conn)
		if on := conn.Exec("PRAGMA foreign_keys = ON").Error; err == nil {
			err = on
		}
		return err
	})
}
