// Command charter serves the Digital Ethics of Childhood Charter: the charter text, the sign-up
// form, the public list of signatories and the administrators' console, from one SQLite file.
//
//	charter [serve] [flags]   serve the site (the default)
//	charter backup FILE       write a consistent copy of the database to FILE
//	charter admin create|list|disable|reset-password [--email E]   manage administrators
//	charter seed --signatories N [--force]   add N demo signatories (for demos and benchmarks)
//	charter publish-version --label L [--material] --summary S   publish charter.md as a version
//	charter verify-log URL [--state FILE] [--key KEY]   check the public log of the site at URL
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"charter/config"
	"charter/handlers"
	"charter/mail"
	"charter/models"
	"charter/views"
)

//go:embed charter.md
var charterSource []byte

// charterRussian is the charter in Russian; its first line declares the version of charter.md it
// translates.
//
//go:embed charter.ru.md
var charterRussian []byte

// newCharter renders the charter and its translations. A stale translation is logged and left
// out: its readers see the English text, the one they sign.
func newCharter(log *slog.Logger) (*models.Charter, error) {
	charter, err := models.NewCharter(charterSource, map[string][]byte{"ru": charterRussian})
	if err != nil {
		return nil, err
	}
	for _, lang := range charter.Stale() {
		log.Warn("the charter's translation is of another version; showing the English text", "lang", lang,
			"charter_version", charter.Version)
	}
	return charter, nil
}

// exitUsage is the exit status for a mistake in the command line or configuration.
const exitUsage = 2

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "charter:", views.ErrorText(views.English, err)) // a models.Error says its message
		if errors.Is(err, config.ErrUsage) {
			os.Exit(exitUsage)
		}
		os.Exit(1)
	}
}

var errUsage = fmt.Errorf("%w: charter [serve] [flags] | charter backup [flags] FILE | charter admin COMMAND --email E [flags] | charter seed --signatories N [--force] [flags] | charter publish-version --label L [--material] --summary S [flags] | charter verify-log URL [--state FILE] [--key KEY] | charter migrate --from FILE --to postgres://…", config.ErrUsage)

// run dispatches to a subcommand. It returns when the command is done or, for serve, when ctx is
// cancelled and the server has shut down.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "verify-log" { // a client of some site's log: it needs none of the settings
		return verifyLog(ctx, args, stdout, stderr)
	}
	if cmd == "migrate" { // names both databases itself
		return migrateDatabase(ctx, args, stdout, stderr)
	}
	var admin adminArgs
	if cmd == "admin" {
		var err error
		if admin, args, err = parseAdminArgs(args); err != nil {
			return err
		}
	}
	var seedArgs, publishArgs []string
	switch cmd {
	case "seed":
		seedArgs, args = splitOwnFlags(args, []string{"force"}, []string{"signatories"})
	case "publish-version":
		publishArgs, args = splitOwnFlags(args, []string{"material"}, []string{"label", "summary"})
	}
	cfg, rest, err := config.Parse(cmd, args, getenv, stderr)
	if config.IsHelp(err) {
		return nil
	}
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	switch cmd {
	case "serve":
		if len(rest) > 0 {
			return errUsage
		}
		// The request log, a line per request, is buffered so that it costs no system call per
		// request; it is flushed every second and, once the server has shut down and every
		// request has been logged, at once. Everything else is written straight away.
		requestLogOut := handlers.NewLogBuffer(stderr, 64<<10, time.Second)
		defer requestLogOut.Close()
		return serve(ctx, cfg, log, newLogger(cfg, requestLogOut), getenv("CHARTER_BENCH") == "1")
	case "backup":
		if len(rest) != 1 {
			return fmt.Errorf("%w: backup needs the name of the file to write", errUsage)
		}
		return backup(ctx, cfg, rest[0], stdout)
	case "admin":
		if len(rest) > 0 {
			return errAdminUsage
		}
		return adminCommand(ctx, cfg, admin, getenv, stdout)
	case "seed":
		if len(rest) > 0 {
			return errUsage
		}
		return seed(ctx, cfg, seedArgs, stdout, stderr)
	case "publish-version":
		if len(rest) > 0 {
			return errPublishUsage
		}
		return publishVersion(ctx, cfg, publishArgs, log, stdout, stderr)
	}
	return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// openMigrated opens the database at path, creating it if need be, and brings its schema up to date.
func openMigrated(ctx context.Context, path string) (*models.Store, error) {
	store, err := models.Open(ctx, path, nil)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// serve runs the web server until ctx is cancelled, then lets in-flight requests finish and
// closes the database last. requestLog takes the line of each request. bench adds the benchmark's static-bytes route (CHARTER_BENCH=1).
func serve(ctx context.Context, cfg config.Config, log, requestLog *slog.Logger, bench bool) error {
	charter, err := newCharter(log)
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := ensureCharterVersion(ctx, store, charter, log); err != nil {
		return err
	}
	store.MailLimits = models.MailLimits{
		Domain:  models.MailRate{Count: cfg.MailPerDomainHour, Period: time.Hour},
		Overall: models.MailRate{Count: cfg.MailPerHour, Period: time.Hour},
	}
	store.LimitPasswordChecks(cfg.PasswordChecks)
	defer logPasswordChecks(store, log)
	if n, err := store.CountActiveAdmins(ctx); err != nil {
		return err
	} else if n == 0 {
		log.Warn("no administrator yet: create one with `charter admin create --email you@example.org` " +
			"(password typed at the prompt, or from CHARTER_ADMIN_PASSWORD), then sign in at " + cfg.BaseURL + "/admin/login")
	}

	sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom, log)
	if err != nil {
		return err
	}
	if !mail.Delivers(sender) {
		log.Warn("no SMTP server configured (CHARTER_SMTP_URL): mail is NOT delivered; each message is " +
			"written to this log instead, with its links and the contact's address. Fine for trying the " +
			"site out; configure SMTP before real use.")
	}
	mailer := mail.NewWorker(store, sender, log)

	// The mail worker and the purge run beside the server and stop after it, before the
	// database closes (defers run last-in, first-out).
	background, stopBackground := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() {
		stopBackground()
		wg.Wait()
	}()
	wg.Go(func() { mailer.Run(background) })
	wg.Go(func() { purgeExpired(background, store, log, time.Hour) })

	logKey, err := loadLogKey(cfg, log)
	if err != nil {
		return err
	}
	if err := store.CheckLogKey(ctx, logKey.Verifier); err != nil {
		return fmt.Errorf("%w: the key file %s is not the one the database's first instance created; "+
			"copy that instance's key file here (or point CHARTER_LOG_KEY at a copy) and start again",
			err, cfg.LogKeyPath)
	}

	proxies, err := cfg.TrustedProxyNets()
	if err != nil {
		return err
	}
	h := &handlers.Handler{
		Store:          store,
		Log:            log,
		RequestLog:     requestLog,
		Charter:        charter,
		BaseURL:        cfg.BaseURL,
		Secure:         cfg.Secure(),
		Mailer:         mailer,
		NotifyAdmins:   cfg.NotifyAdmins,
		TrustedProxies: proxies,
		// HSTS follows the base URL, not the request: a proxy in front may terminate TLS.
		HSTSIncludeSubdomains: cfg.HSTSIncludeSubdomains,
		// Public pages may lag a change by this much; in exchange, a cached page costs no query.
		PublicStateMaxAge: 250 * time.Millisecond,
		PublicMaxAge:      cfg.PublicMaxAge,
		BenchStatic:       bench,
		// The open data exports are written once per public-state version beside the database.
		SnapshotDir: cfg.SnapshotDir(),
		LogKey:      logKey,
	}
	// The snapshot builder stops with the mail worker, before the database closes.
	wg.Go(func() {
		if err := h.RunSnapshots(background); err != nil {
			log.Error("open data snapshots disabled; downloads stream from the database", "err", err)
		}
	})
	srv := &http.Server{
		Handler:           h.App(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       20 * time.Second,
		WriteTimeout:      120 * time.Second, // long enough to stream the full CSV export
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("serving the charter", "addr", ln.Addr().String(), "url", cfg.BaseURL,
		"db", models.RedactDSN(cfg.DBPath), "charter_version", charter.Version)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	log.Info("stopped")
	return nil
}

// logPasswordChecks reports how many password checks the server ran, when it stops: the real
// ones are guesses tried against an administrator's hash.
func logPasswordChecks(store *models.Store, log *slog.Logger) {
	n := store.PasswordChecks()
	log.Info("password checks", "real", n.Real, "dummy", n.Dummy, "refused_busy", n.Busy)
}

// purgeExpired deletes what has expired (applications never confirmed, sent mail past its
// retention, used form stamps, spent sign-in limits: models.PurgeExpired), at start and then
// every interval, until ctx is cancelled.
func purgeExpired(ctx context.Context, store *models.Store, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		p, err := store.PurgeExpired(context.WithoutCancel(ctx), store.Now())
		if err != nil {
			log.Error("purge failed", "err", err)
		}
		if p.Skipped {
			log.Debug("purge skipped: another instance is purging the database")
		}
		if p.Applications > 0 || p.SentMail > 0 {
			log.Info("purged", "unconfirmed_applications", p.Applications, "sent_mail", p.SentMail)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// backup writes a consistent copy of the database to file while the server may keep running.
func backup(ctx context.Context, cfg config.Config, file string, stdout io.Writer) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", file)
	}
	if models.DialectOf(cfg.DBPath) != models.SQLite {
		return models.ErrBackupPostgres
	}
	if _, err := os.Stat(cfg.DBPath); err != nil {
		return fmt.Errorf("no database at %s: %w", cfg.DBPath, err)
	}
	store, err := models.Open(ctx, cfg.DBPath, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, file); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.DBPath, file)
	return nil
}

// splitOwnFlags takes a command's own flags out of args (switches alone, valued with their value,
// with one or two dashes, "--name value" or "--name=value"), leaving the settings every command
// shares to config.Parse.
func splitOwnFlags(args, switches, valued []string) (own, rest []string) {
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		switch {
		case !strings.HasPrefix(args[i], "-"):
			rest = append(rest, args[i])
		case slices.Contains(switches, name):
			own = append(own, args[i])
		case slices.Contains(valued, name):
			own = append(own, args[i])
			if !hasValue && i+1 < len(args) {
				i++
				own = append(own, args[i])
			}
		default:
			rest = append(rest, args[i])
		}
	}
	return own, rest
}

// seed fills the database with demo signatories (models.Store.Seed).
func seed(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("signatories", 0, "number of demo signatories to add")
	force := fs.Bool("force", false, "seed even if the database holds real signatories")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if *n <= 0 {
		return fmt.Errorf("%w: seed needs --signatories N, a number above 0", errUsage)
	}
	charter, err := models.NewCharter(charterSource, nil) // the version is the English text's
	if err != nil {
		return err
	}
	store, err := openMigrated(ctx, cfg.DBPath)
	if err != nil {
		return err
	}
	defer store.Close()
	started := time.Now()
	err = store.Seed(ctx, *n, models.SeedOptions{
		Force:          *force,
		CharterVersion: charter.Version,
		Seed:           uint64(started.UnixNano()),
		Progress: func(done int) {
			if done%100000 == 0 || done == *n {
				fmt.Fprintf(stderr, "seeded %d of %d\n", done, *n)
			}
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %d demo signatories to %s in %s\n", *n, models.RedactDSN(cfg.DBPath), time.Since(started).Round(time.Millisecond))
	return nil
}
