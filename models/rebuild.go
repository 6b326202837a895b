package models

import (
	"fmt"
	"regexp"
	"strings"

	"gorm.io/gorm"
)

// addEducationCategory is the Go step of migration 0015: it rebuilds signatories with
// 'education' among the categories its CHECK constraint allows.
func addEducationCategory(tx *gorm.DB) error {
	const before = "('government', 'business', 'civil_society', 'academia', 'international')"
	const after = "('government', 'business', 'civil_society', 'education', 'academia', 'international')"
	return rebuildTable(tx, "signatories", func(create string) (string, error) {
		if strings.Count(create, before) != 1 {
			return "", fmt.Errorf("the category constraint of signatories is not the one 0001 made")
		}
		return strings.Replace(create, before, after, 1), nil
	})
}

// createTable matches the start of a table's CREATE statement as SQLite keeps it: the name may
// be quoted once the table has been renamed.
var createTable = regexp.MustCompile(`^CREATE TABLE\s+("[^"]+"|\S+)\s*\(`)

// rebuildTable changes what SQLite cannot alter in place (a CHECK constraint, say) by its
// twelve-step procedure (https://www.sqlite.org/lang_altertable.html#otheralter): it makes a
// new table from the current CREATE statement as change rewrites it, copies every row (ids
// included), drops the old table, renames the new one, and makes again every index and
// trigger of the table, and every trigger or view elsewhere that names it, from their own SQL,
// in the order they were made. Reading the schema rather than repeating it keeps whatever
// earlier migrations added (columns, triggers) without this one knowing of them.
//
// It must run in a transaction with foreign keys off (Migration.ForeignKeysOff): with them on,
// dropping the old table would delete the rows that refer to it (ON DELETE CASCADE). Before it
// returns it checks that every reference still holds (foreign_key_check).
func rebuildTable(tx *gorm.DB, table string, change func(create string) (string, error)) error {
	var create string
	if err := tx.Raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&create).Error; err != nil {
		return err
	}
	if !createTable.MatchString(create) {
		return fmt.Errorf("rebuild %s: no such table", table)
	}
	changed, err := change(create)
	if err != nil {
		return fmt.Errorf("rebuild %s: %w", table, err)
	}
	temp := table + "_rebuilt"
	changed = createTable.ReplaceAllLiteralString(changed, "CREATE TABLE "+temp+" (")

	// Step 3: what depends on the table, in the order it was made. Indexes made by a UNIQUE
	// constraint have no SQL: the new table makes its own.
	type object struct{ Type, Name, TblName, SQL string }
	var deps []object
	err = tx.Raw(`SELECT type, name, tbl_name, sql FROM sqlite_master
		WHERE sql IS NOT NULL AND name <> ? AND (
			(type IN ('index', 'trigger', 'view') AND tbl_name = ?) OR
			(type IN ('trigger', 'view') AND sql LIKE ?))
		ORDER BY rowid`, table, table, "%"+table+"%").Scan(&deps).Error
	if err != nil {
		return err
	}

	steps := []string{changed, "INSERT INTO " + temp + " SELECT * FROM " + table}
	for _, d := range deps {
		if d.TblName != table { // dropped with the table otherwise
			steps = append(steps, "DROP "+strings.ToUpper(d.Type)+" "+quoteName(d.Name))
		}
	}
	steps = append(steps, "DROP TABLE "+table, "ALTER TABLE "+temp+" RENAME TO "+table)
	for _, d := range deps {
		steps = append(steps, d.SQL)
	}
	for _, sql := range steps {
		if err := tx.Exec(sql).Error; err != nil {
			return fmt.Errorf("rebuild %s: %w", table, err)
		}
	}

	var broken []struct{ Table, Parent string }
	if err := tx.Raw("PRAGMA foreign_key_check").Scan(&broken).Error; err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("rebuild %s: %d rows of %s refer to rows of %s that are gone", table, len(broken), broken[0].Table, broken[0].Parent)
	}
	return nil
}

// quoteName quotes an SQL identifier.
func quoteName(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
