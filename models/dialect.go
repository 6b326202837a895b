package models

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// The databases the store runs on. CHARTER_DB chooses: a postgres:// or postgresql:// URL is
// PostgreSQL, anything else the path of a SQLite file.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DialectOf tells which database a CHARTER_DB value names.
func DialectOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return Postgres
	}
	return SQLite
}

// dialect holds the few statements that differ between SQLite and PostgreSQL. Everything else
// the store says is plain SQL both understand; the schemas differ only in migrations/sqlite and
// migrations/postgres.
type dialect interface {
	name() string
	// searchFrom is the FROM and WHERE of the approved signatories whose name matches every
	// word as a prefix of one of its words. driven asks to start from the search index;
	// countryIndex says the country filter is the one to walk (see directoryFrom).
	searchFrom(words []string, driven, countryIndex bool) (string, []any)
	// countMatches counts the signatories, in any status, whose name matches.
	countMatches(words []string) (string, []any)
	// nameOrderSorted is the ORDER BY of the list by name when few enough rows pass the filters to
	// sort them rather than walk the name index.
	nameOrderSorted() string
	// beginSnapshot starts a read-only transaction that sees one state of the database.
	beginSnapshot() string
	// bulkLoad is the statement that readies a connection for a million inserts, and the one
	// that sets it back; empty where nothing is needed.
	bulkLoad() (setup, reset string)
	// idsInserted is the statement to run after rows were inserted into table with their ids
	// given, so that the ids the database hands out next come after them; empty if none is needed.
	idsInserted(table string) string
	// xactLock is the statement that makes a transaction wait for any other holding the lock
	// named key, until it ends; empty where a writing transaction already excludes the others.
	xactLock(key int64) string
	// timestampType is the column type of a point in time.
	timestampType() string
	// tryLock is the query that takes the lock named key for the connection's session, answering
	// whether it got it, and the statement that lets it go; empty where one process has the
	// database to itself.
	tryLock(key int64) (lock, unlock string)
	// skipLocked ends a SELECT whose rows the transaction will change, so that it locks them and
	// passes over rows another transaction has locked; empty where a writer excludes the others.
	skipLocked() string
	// clock is the query that reads the database's clock; empty where the database runs beside
	// the application, on its clock.
	clock() string
	// groupIDs is the aggregate that lists a group's values of column, comma-separated.
	groupIDs(column string) string
	// bind turns the ? placeholders of a statement run on a bare connection (not through GORM,
	// which does this itself) into the database's own.
	bind(query string) string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string { return SQLite }

// prefixQuery is the FTS4 query for the folded search words: every word must start a word of
// the name. The words hold only letters and digits (Words) and are lower case, so none is an
// operator or needs quoting.
func (sqliteDialect) prefixQuery(words []string) string {
	return strings.Join(words, "* ") + "*"
}

func (d sqliteDialect) searchFrom(words []string, driven, countryIndex bool) (string, []any) {
	if driven {
		return "(SELECT docid FROM signatory_search WHERE signatory_search MATCH ?) m " +
			"CROSS JOIN signatories s ON s.id = m.docid WHERE s.status = ?", []any{d.prefixQuery(words), StatusApproved}
	}
	// The + keeps the planner from looking the matches up by id, which is the driven plan.
	// Without statistics, for a country alone it would rather scan the whole covering
	// category-and-country index than seek the country's.
	table := "signatories s"
	if countryIndex {
		table = "signatories s INDEXED BY signatories_status_country"
	}
	return table + " WHERE s.status = ? AND +s.id IN (SELECT docid FROM signatory_search WHERE signatory_search MATCH ?)",
		[]any{StatusApproved, d.prefixQuery(words)}
}

func (d sqliteDialect) countMatches(words []string) (string, []any) {
	return "SELECT COUNT(*) FROM signatory_search WHERE signatory_search MATCH ?", []any{d.prefixQuery(words)}
}

// The + keeps the planner off the name index.
func (sqliteDialect) nameOrderSorted() string { return "+s.name_key, s.id" }

// A deferred transaction, not the pool's BEGIN IMMEDIATE (see DSN): it starts a read snapshot at
// its first SELECT and never asks for the write lock.
func (sqliteDialect) beginSnapshot() string { return "BEGIN DEFERRED" }

// A bigger page cache for the one connection keeps a million inserts into the indexes off the
// disk; it goes back to the default when the connection returns to the pool.
func (sqliteDialect) bulkLoad() (string, string) {
	return "PRAGMA cache_size = -262144", "PRAGMA cache_size = -2000"
}

// An INTEGER PRIMARY KEY hands out one more than the largest id.
func (sqliteDialect) idsInserted(string) string { return "" }

// A writing transaction holds the database's one write lock (BEGIN IMMEDIATE, see DSN).
func (sqliteDialect) xactLock(int64) string { return "" }

func (sqliteDialect) timestampType() string { return "DATETIME" }

// SQLite's instances are one process on one file: nothing runs twice at once.
func (sqliteDialect) tryLock(int64) (string, string) { return "", "" }

func (sqliteDialect) skipLocked() string { return "" }

func (sqliteDialect) clock() string { return "" }

func (sqliteDialect) groupIDs(column string) string {
	return "group_concat(" + column + ", ', ' ORDER BY " + column + ")"
}

func (sqliteDialect) bind(query string) string { return query }

type postgresDialect struct{}

func (postgresDialect) name() string { return Postgres }

// nameVector is the indexed expression of migrations/postgres/0003: the words of name_key, which
// the application has already folded, split by the simple configuration (no stemming, no stop
// words). A query must repeat it exactly for the GIN index to serve it.
const nameVector = "to_tsvector('simple', s.name_key)"

// prefixQuery is the tsquery of the folded search words: every word must start a word of the
// name. It is built from Words' output alone (letters and digits), each word quoted as a
// tsquery literal, so nothing a reader types is read as an operator.
func (postgresDialect) prefixQuery(words []string) string {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = "'" + strings.ReplaceAll(w, "'", "''") + "':*"
	}
	return strings.Join(terms, " & ")
}

// PostgreSQL's planner weighs the GIN index against the filters' indexes itself, from its
// statistics: one form serves both plans.
func (d postgresDialect) searchFrom(words []string, _, _ bool) (string, []any) {
	return "signatories s WHERE s.status = ? AND " + nameVector + " @@ to_tsquery('simple', ?)",
		[]any{StatusApproved, d.prefixQuery(words)}
}

func (d postgresDialect) countMatches(words []string) (string, []any) {
	return "SELECT COUNT(*) FROM signatories s WHERE " + nameVector + " @@ to_tsquery('simple', ?)",
		[]any{d.prefixQuery(words)}
}

func (postgresDialect) nameOrderSorted() string { return "s.name_key, s.id" }

func (postgresDialect) beginSnapshot() string {
	return "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
}

func (postgresDialect) bulkLoad() (string, string) { return "", "" }

// An identity column's sequence knows nothing of ids given explicitly.
func (postgresDialect) idsInserted(table string) string {
	return "SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT MAX(id) FROM " + table + "))"
}

// The keys of the transaction locks (advisory locks on PostgreSQL).
const (
	migrationLock = 0x6368617274657231 // "charter1": migrations
	publicLogLock = 0x6368617274657232 // "charter2": appends to the public log
	purgeLock     = 0x6368617274657233 // "charter3": the hourly purge (PurgeExpired)
)

func (postgresDialect) xactLock(key int64) string {
	return "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(key, 10) + ")"
}

// dialectOfTx is the dialect of the database tx talks to, for code that has a transaction and
// not the Store.
func dialectOfTx(tx *gorm.DB) dialect {
	if tx.Dialector.Name() == "postgres" {
		return postgresDialect{}
	}
	return sqliteDialect{}
}

func (postgresDialect) timestampType() string { return "TIMESTAMPTZ" }

func (postgresDialect) tryLock(key int64) (string, string) {
	k := strconv.FormatInt(key, 10)
	return "SELECT pg_try_advisory_lock(" + k + ")", "SELECT pg_advisory_unlock(" + k + ")"
}

func (postgresDialect) skipLocked() string { return " FOR UPDATE SKIP LOCKED" }

func (postgresDialect) clock() string { return "SELECT clock_timestamp()" }

func (postgresDialect) groupIDs(column string) string {
	return "string_agg(" + column + "::text, ', ' ORDER BY " + column + ")"
}

func (postgresDialect) bind(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isUniqueViolation reports whether err is a write refused by a unique index or primary key, on
// either database. On PostgreSQL the transaction it happened in is aborted: run the statement in a
// savepoint to go on after it (insertRetrying).
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505" // unique_violation
	}
	var liteErr sqlite3.Error
	if errors.As(err, &liteErr) {
		return liteErr.ExtendedCode == sqlite3.ErrConstraintUnique ||
			liteErr.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	return false
}

// ifUnlocked runs fn unless another instance holds the lock named key, and reports whether it ran.
// On PostgreSQL the lock is a session advisory lock, held by one connection of the pool while fn
// runs (fn may use any other); the server lets it go if the connection dies.
func (s *Store) ifUnlocked(ctx context.Context, key int64, fn func() error) (bool, error) {
	lock, unlock := s.dialect.tryLock(key)
	if lock == "" {
		return true, fn()
	}
	ran := false
	err := s.DB.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		var got bool
		if err := conn.Raw(lock).Scan(&got).Error; err != nil || !got {
			return err
		}
		ran = true
		err := fn()
		if e := conn.Exec(unlock).Error; err == nil {
			err = e
		}
		return err
	})
	return ran, err
}
