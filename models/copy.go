package models

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Copying a SQLite database into an empty PostgreSQL one (`charter migrate`): every table, in
// one transaction on the target, verified table by table before it commits.

// TableCopy is what CopyDatabase did to one table.
type TableCopy struct {
	Table          string
	SourceRows     int64
	TargetRows     int64
	SourceChecksum string
	TargetChecksum string
	// Derived says the target's triggers filled the table from the copied rows, as the source's
	// did: it is verified, not copied.
	Derived bool
}

// OK reports whether the table reads the same on both sides.
func (c TableCopy) OK() bool {
	return c.SourceRows == c.TargetRows && c.SourceChecksum == c.TargetChecksum
}

// ErrCopyMismatch is returned by CopyDatabase when a table does not read the same on both sides
// after the copy; nothing was committed.
var ErrCopyMismatch = errors.New("the copy does not match the source")

// ErrTargetNotEmpty is returned by CopyDatabase when the target already holds data.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// derivedTables are filled by triggers on the tables they summarise, on both databases.
var derivedTables = map[string]bool{"approved_counts": true}

// copyBatch is how many rows one INSERT carries, at most.
const copyBatch = 500

// CopyDatabase copies every table of from, a SQLite database, into to, a PostgreSQL database
// whose schema is migrated and which holds nothing yet, in one transaction: tables in the order
// their foreign keys need, rows in batches, the identity sequences moved past the copied ids,
// public_state (version and epoch) carried over. Before it commits it reads every table back on
// both sides, counting rows and computing a checksum of their values in one canonical form; on
// any difference it rolls back and returns ErrCopyMismatch with the report.
func CopyDatabase(ctx context.Context, from, to *Store) ([]TableCopy, error) {
	if from.Dialect() != SQLite || to.Dialect() != Postgres {
		return nil, errors.New("copy from a SQLite database to a PostgreSQL one")
	}
	tables, err := sqliteTables(ctx, from.SQL())
	if err != nil {
		return nil, err
	}
	var report []TableCopy
	err = to.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var filled []string
		for _, t := range tables {
			if t.name == "public_state" {
				continue // made by the migrations; carried over below
			}
			var has bool
			if err := tx.Raw(`SELECT EXISTS (SELECT 1 FROM "` + t.name + `")`).Scan(&has).Error; err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			if has {
				filled = append(filled, t.name)
			}
		}
		if len(filled) > 0 {
			return fmt.Errorf("%w: %s hold rows; copy into a new, empty database before any instance starts on it",
				ErrTargetNotEmpty, strings.Join(filled, ", "))
		}
		for _, t := range tables {
			classes, err := columnClasses(tx, t)
			if err != nil {
				return err
			}
			t.classes = classes
			if derivedTables[t.name] || t.name == "public_state" {
				continue // filled by the target's triggers and migrations
			}
			if err := copyRows(ctx, from.SQL(), tx, t); err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			if stmt := to.dialect.idsInserted(t.name); t.hasID && stmt != "" {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("table %s: %w", t.name, err)
				}
			}
		}
		// Every insert above bumped the target's public_state; it takes the source's again.
		var st PublicState
		if err := from.DB.WithContext(ctx).Raw("SELECT version, epoch FROM public_state WHERE id = 1").Scan(&st).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE public_state SET version = ?, epoch = ? WHERE id = 1", st.Version, st.Epoch).Error; err != nil {
			return err
		}
		mismatch := false
		for _, t := range tables {
			c := TableCopy{Table: t.name, Derived: derivedTables[t.name]}
			src, err := from.SQL().QueryContext(ctx, `SELECT `+t.columnList()+` FROM "`+t.name+`"`)
			if err != nil {
				return err
			}
			c.SourceRows, c.SourceChecksum, err = checksum(src, t)
			if err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			dst, err := tx.Raw(`SELECT ` + t.columnList() + ` FROM "` + t.name + `"`).Rows()
			if err != nil {
				return err
			}
			c.TargetRows, c.TargetChecksum, err = checksum(dst, t)
			if err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			mismatch = mismatch || !c.OK()
			report = append(report, c)
		}
		if mismatch {
			return ErrCopyMismatch
		}
		return nil
	})
	return report, err
}

// copyTable is one table of the source, its columns, and their kinds on the target.
type copyTable struct {
	name    string
	columns []string
	classes []valueClass
	hasID   bool
}

func (t *copyTable) columnList() string {
	return `"` + strings.Join(t.columns, `", "`) + `"`
}

// sqliteTables lists the source's tables in an order their foreign keys allow, referenced ones
// first: all but schema_migrations (the target has its own), SQLite's internal tables and the
// full-text index with its shadow tables (PostgreSQL's index is built from name_key).
func sqliteTables(ctx context.Context, db *sql.DB) ([]*copyTable, error) {
	rows, err := db.QueryContext(ctx, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
	if err != nil {
		return nil, err
	}
	var names, virtual []string
	for rows.Next() {
		var name, ddl string
		if err := rows.Scan(&name, &ddl); err != nil {
			rows.Close()
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(ddl), "CREATE VIRTUAL TABLE") {
			virtual = append(virtual, name)
		}
		names = append(names, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byName := map[string]*copyTable{}
	refs := map[string][]string{}
	var kept []string
	for _, name := range names {
		skip := name == "schema_migrations" || strings.HasPrefix(name, "sqlite_")
		for _, v := range virtual {
			skip = skip || name == v || strings.HasPrefix(name, v+"_")
		}
		if skip {
			continue
		}
		t := &copyTable{name: name}
		cols, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", name)
		if err != nil {
			return nil, err
		}
		for cols.Next() {
			var c string
			if err := cols.Scan(&c); err != nil {
				cols.Close()
				return nil, err
			}
			t.columns = append(t.columns, c)
			t.hasID = t.hasID || c == "id"
		}
		cols.Close()
		fks, err := db.QueryContext(ctx, `SELECT "table" FROM pragma_foreign_key_list(?)`, name)
		if err != nil {
			return nil, err
		}
		for fks.Next() {
			var ref string
			if err := fks.Scan(&ref); err != nil {
				fks.Close()
				return nil, err
			}
			if ref != name {
				refs[name] = append(refs[name], ref)
			}
		}
		fks.Close()
		byName[name] = t
		kept = append(kept, name)
	}
	var ordered []*copyTable
	placed := map[string]bool{}
	var place func(name string, depth int) error
	place = func(name string, depth int) error {
		if placed[name] || byName[name] == nil {
			return nil
		}
		if depth > len(kept) {
			return fmt.Errorf("the foreign keys of %s form a cycle", name)
		}
		for _, ref := range refs[name] {
			if err := place(ref, depth+1); err != nil {
				return err
			}
		}
		placed[name] = true
		ordered = append(ordered, byName[name])
		return nil
	}
	for _, name := range kept {
		if err := place(name, 0); err != nil {
			return nil, err
		}
	}
	return ordered, nil
}

// valueClass is how a column's values are compared and written: by the target's column type.
type valueClass int

const (
	classText valueClass = iota
	classInt
	classFloat
	classBool
	classBytes
	classTime
)

// columnClasses reads the target's types of t's columns; a column the target lacks is an error.
func columnClasses(tx *gorm.DB, t *copyTable) ([]valueClass, error) {
	var cols []struct{ ColumnName, DataType string }
	err := tx.Raw("SELECT column_name, data_type FROM information_schema.columns "+
		"WHERE table_schema = current_schema() AND table_name = ?", t.name).Scan(&cols).Error
	if err != nil {
		return nil, err
	}
	types := map[string]string{}
	for _, c := range cols {
		types[c.ColumnName] = c.DataType
	}
	classes := make([]valueClass, len(t.columns))
	for i, c := range t.columns {
		typ, ok := types[c]
		if !ok {
			return nil, fmt.Errorf("the target has no column %s.%s: is its schema older than the source's?", t.name, c)
		}
		switch typ {
		case "bigint", "integer", "smallint":
			classes[i] = classInt
		case "double precision", "real", "numeric":
			classes[i] = classFloat
		case "boolean":
			classes[i] = classBool
		case "bytea":
			classes[i] = classBytes
		case "timestamp with time zone", "timestamp without time zone", "date":
			classes[i] = classTime
		}
	}
	return classes, nil
}

// copyRows inserts the source's rows of t into the target, copyBatch at a time.
func copyRows(ctx context.Context, src *sql.DB, tx *gorm.DB, t *copyTable) error {
	rows, err := src.QueryContext(ctx, `SELECT `+t.columnList()+` FROM "`+t.name+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(t.columns)
	batch := min(copyBatch, 60000/n) // PostgreSQL takes at most 65535 parameters
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		values := strings.TrimSuffix(strings.Repeat(one+", ", len(args)/n), ", ")
		err := tx.Exec(`INSERT INTO "`+t.name+`" (`+t.columnList()+`) VALUES `+values, args...).Error
		args = args[:0]
		return err
	}
	for rows.Next() {
		row, err := scanRow(rows, t)
		if err != nil {
			return err
		}
		args = append(args, row...)
		if len(args) >= batch*n {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// scanRow reads one row and converts its values to the target's column types.
func scanRow(rows *sql.Rows, t *copyTable) ([]any, error) {
	raw := make([]any, len(t.columns))
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	for i, v := range raw {
		c, err := convert(t.classes[i], v)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", t.columns[i], err)
		}
		raw[i] = c
	}
	return raw, nil
}

// checksum counts rows and hashes them: each row's values in canonical form (render) into a
// SHA-256, the sorted row hashes into one. Sorting makes it independent of the order rows come
// in, which for text keys depends on the database's collation.
func checksum(rows *sql.Rows, t *copyTable) (int64, string, error) {
	defer rows.Close()
	var sums [][sha256.Size]byte
	for rows.Next() {
		row, err := scanRow(rows, t)
		if err != nil {
			return 0, "", err
		}
		h := sha256.New()
		for _, v := range row {
			r := render(v)
			fmt.Fprintf(h, "%d:%s;", len(r), r)
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		sums = append(sums, sum)
	}
	if err := rows.Err(); err != nil {
		return 0, "", err
	}
	slices.SortFunc(sums, func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	for _, s := range sums {
		h.Write(s[:])
	}
	return int64(len(sums)), hex.EncodeToString(h.Sum(nil)), nil
}

// render writes a converted value in one form whichever database it came from.
func render(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case bool:
		if v {
			return "t"
		}
		return "f"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []byte:
		return "x" + hex.EncodeToString(v)
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case string:
		return "'" + v
	}
	return fmt.Sprintf("?%T %v", v, v)
}

// sqliteTimeLayouts are the forms a point in time takes in a SQLite column (the driver's own).
var sqliteTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
	time.RFC3339Nano,
}

// convert turns a value read from either database into the Go type of its class. Times are
// in UTC, to the microsecond: PostgreSQL keeps no finer.
func convert(class valueClass, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch x := v.(type) {
	case int32:
		v = int64(x)
	case int16:
		v = int64(x)
	case int:
		v = int64(x)
	case float32:
		v = float64(x)
	}
	switch class {
	case classInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		case []byte:
			return strconv.ParseInt(string(x), 10, 64)
		}
	case classFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case classBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case classBytes:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case classTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Truncate(time.Microsecond), nil
		case string, []byte:
			text := strings.TrimSuffix(fmt.Sprint(x), "Z")
			if b, ok := x.([]byte); ok {
				text = strings.TrimSuffix(string(b), "Z")
			}
			for _, layout := range sqliteTimeLayouts {
				if t, err := time.Parse(layout, text); err == nil {
					return t.UTC().Truncate(time.Microsecond), nil
				}
			}
			return nil, fmt.Errorf("%q is not a point in time", text)
		}
	case classText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
	}
	return nil, fmt.Errorf("a %T where the target has a column of class %d", v, class)
}
