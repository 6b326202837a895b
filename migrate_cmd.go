package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"charter/config"
	"charter/models"
)

var errMigrateUsage = fmt.Errorf("%w: charter migrate --from charter.db --to postgres://…", config.ErrUsage)

// migrateDatabase is `charter migrate --from FILE --to URL`: it copies a SQLite database into a
// new, empty PostgreSQL database (models.CopyDatabase), after bringing both schemas up to date,
// and prints for each table its rows and whether they read the same on both sides. Stop the
// instance using the SQLite file first: what it writes during the copy is not copied.
func migrateDatabase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("migrate", flag.ContinueOnError)
	flags.SetOutput(stderr)
	fromPath := flags.String("from", "", "the SQLite database file to copy")
	toURL := flags.String("to", "", "the PostgreSQL database to copy into (postgres://…), empty")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%w: %v", errMigrateUsage, err)
	}
	if *fromPath == "" || *toURL == "" || flags.NArg() > 0 {
		return errMigrateUsage
	}
	if models.DialectOf(*fromPath) != models.SQLite || models.DialectOf(*toURL) != models.Postgres {
		return fmt.Errorf("%w: --from names a SQLite file, --to a postgres:// URL", errMigrateUsage)
	}
	if _, err := os.Stat(*fromPath); err != nil {
		return fmt.Errorf("no database at %s: %w", *fromPath, err)
	}
	from, err := models.Open(ctx, *fromPath, nil)
	if err != nil {
		return err
	}
	defer from.Close()
	to, err := models.Open(ctx, *toURL, nil)
	if err != nil {
		return err
	}
	defer to.Close()
	// The source is brought to the schema this binary knows, as `charter serve` would.
	if err := from.Migrate(ctx); err != nil {
		return fmt.Errorf("%s: %w", *fromPath, err)
	}
	if err := to.Migrate(ctx); err != nil {
		return fmt.Errorf("%s: %w", models.RedactDSN(*toURL), err)
	}
	report, err := models.CopyDatabase(ctx, from, to)
	if len(report) > 0 {
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "TABLE\tSOURCE ROWS\tTARGET ROWS\tCHECKSUM\tRESULT")
		for _, c := range report {
			result := "ok"
			if !c.OK() {
				result = "MISMATCH (source " + c.SourceChecksum[:12] + ")"
			}
			if c.Derived {
				result += " (rebuilt by the target)"
			}
			fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\n", c.Table, c.SourceRows, c.TargetRows, c.TargetChecksum[:12], result)
		}
		w.Flush()
	}
	if err != nil {
		if errors.Is(err, models.ErrCopyMismatch) {
			return fmt.Errorf("%w: nothing was committed to the target", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "copied %s into %s; start the instances with CHARTER_DB set to it\n",
		*fromPath, models.RedactDSN(*toURL))
	return nil
}
