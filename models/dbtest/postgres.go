package dbtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver of database/sql

	"charter/models"
)

// Postgres reports whether the tests run on PostgreSQL (CHARTER_TEST_DB=postgres) rather than
// SQLite.
func Postgres() bool { return os.Getenv("CHARTER_TEST_DB") == "postgres" }

// SkipOnPostgres skips a test that is about SQLite itself (its file, its pragmas) when the tests
// run on PostgreSQL.
func SkipOnPostgres(t testing.TB, why string) {
	t.Helper()
	if Postgres() {
		t.Skip("SQLite only: " + why)
	}
}

// Main runs the tests of a package and then stops the PostgreSQL server they started, if any:
// call it from TestMain as os.Exit(dbtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if err := stopCluster(); err != nil {
		fmt.Fprintf(os.Stderr, "dbtest: stop PostgreSQL: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// cluster is the one throwaway PostgreSQL server of a test binary: started on first use from the
// binaries of Debian's postgresql package, on a free port of 127.0.0.1, with durability off (its
// data lives as long as the tests), in a temporary folder that stopCluster removes. Every test
// gets its own database, copied from a migrated template.
type cluster struct {
	dir   string
	port  int
	cmd   *exec.Cmd
	done  chan struct{} // closed when the server process has exited
	admin *sql.DB       // to the postgres database, to create and drop the tests' databases
}

var (
	clusterOnce  sync.Once
	clusterMu    sync.Mutex // guards theCluster against stopCluster
	theCluster   *cluster
	clusterErr   error
	databaseSeq  atomic.Int64
	errNoBinary  = errors.New("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian's postgresql package) nor initdb on PATH")
	templateName = "charter_template"
)

// newPostgresDSN returns the URL of a new database of the test's own, with the migrations applied,
// dropped when the test ends. Without PostgreSQL's binaries the test is skipped, or fails under
// CI=true.
func newPostgresDSN(t testing.TB) string {
	t.Helper()
	return newPostgresDatabase(t, templateName)
}

// newPostgresDatabase creates a database for the test as a copy of template, and returns its URL.
func newPostgresDatabase(t testing.TB, template string) string {
	t.Helper()
	clusterOnce.Do(func() {
		c, err := startCluster()
		clusterMu.Lock()
		theCluster, clusterErr = c, err
		clusterMu.Unlock()
	})
	if clusterErr != nil {
		if errors.Is(clusterErr, errNoBinary) && os.Getenv("CI") != "true" {
			t.Skipf("CHARTER_TEST_DB=postgres: %v; install postgresql, or run without CHARTER_TEST_DB", clusterErr)
		}
		t.Fatalf("CHARTER_TEST_DB=postgres: %v", clusterErr)
	}
	c := theCluster
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), databaseSeq.Add(1))
	ctx := context.Background()
	if _, err := c.admin.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE "+template); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	dsn := c.url(name)
	if template == templateName {
		// Each database gets an epoch of its own, as a fresh migration gives it.
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			_, err = db.ExecContext(ctx, "UPDATE public_state SET epoch = substr(md5(random()::text), 1, 12)")
			db.Close()
		}
		if err != nil {
			t.Fatalf("new epoch for the test database: %v", err)
		}
	}
	t.Cleanup(func() {
		if _, err := c.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return dsn
}

func (c *cluster) url(database string) string {
	return fmt.Sprintf("postgres://charter@127.0.0.1:%d/%s?sslmode=disable", c.port, database)
}

// serverBinaries finds the folder of initdb and postgres, the newest version first.
func serverBinaries() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return pgVersion(dirs[i]) > pgVersion(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errNoBinary
}

func pgVersion(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func startCluster() (*cluster, error) {
	c, err := startServer(false)
	if err != nil {
		return nil, err
	}
	if err := c.migrateTemplate(); err != nil {
		c.stop()
		return nil, fmt.Errorf("migrate the template database: %w", err)
	}
	return c, nil
}

// Cluster is a throwaway PostgreSQL server started by StartCluster, for programs other than the
// tests (the stress runs of .ci/stress).
type Cluster struct{ c *cluster }

// StartCluster starts a throwaway PostgreSQL server as the tests do (ErrNoServer without the
// binaries), but with an empty cluster and, when durable, fsync and synchronous commit on, as a
// production server runs. Stop it with Stop; should the program die first, the server stops too.
func StartCluster(durable bool) (*Cluster, error) {
	c, err := startServer(durable)
	if err != nil {
		return nil, err
	}
	return &Cluster{c}, nil
}

// ErrNoServer is StartCluster's error when no PostgreSQL server binaries are installed.
var ErrNoServer = errNoBinary

// CreateDatabase creates an empty database and returns its URL.
func (c *Cluster) CreateDatabase(ctx context.Context, name string) (string, error) {
	if _, err := c.c.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	return c.c.url(name), nil
}

// Dir is the cluster's folder; its log is postgres.log there.
func (c *Cluster) Dir() string { return c.c.dir }

// Stop shuts the server down and removes its folder.
func (c *Cluster) Stop() error { return c.c.stop() }

// startServer initialises a cluster in a temporary folder and starts its server. Without durable,
// fsync, synchronous commit and full page writes are off: the tests' data lives as long as they do.
func startServer(durable bool) (*cluster, error) {
	bin, err := serverBinaries()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "charter-pgtest-")
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, done: make(chan struct{})}
	fail := func(err error) (*cluster, error) {
		c.stop()
		return nil, err
	}
	// PostgreSQL refuses to run as root: then it runs as the postgres user.
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fail(fmt.Errorf("the tests run as root and PostgreSQL refuses root, but there is no postgres user: %w", err))
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "charter", "--auth=trust",
		"--encoding=UTF8", "--locale=C", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}
	if c.port, err = freePort(); err != nil {
		return fail(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		return fail(err)
	}
	defer logFile.Close()
	args := []string{"-D", data,
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=",
		"-c", "max_connections=300",
		"-c", "shared_buffers=32MB",
		"-c", "log_min_messages=warning"}
	if !durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	// Should the test binary die without stopping it, the server stops at once too.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT}
	if err := c.cmd.Start(); err != nil {
		return fail(fmt.Errorf("start postgres: %w", err))
	}
	go func() { c.cmd.Wait(); close(c.done) }()

	if c.admin, err = sql.Open("pgx", c.url("postgres")); err != nil {
		return fail(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := c.admin.Ping()
		if err == nil {
			break
		}
		select {
		case <-c.done:
			log, _ := os.ReadFile(logFile.Name())
			return fail(fmt.Errorf("postgres exited: %s", log))
		default:
		}
		if time.Now().After(deadline) {
			return fail(fmt.Errorf("postgres did not answer within 30 s: %w", err))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return c, nil
}

// migrateTemplate makes the database every test's own is copied from, with the real migrations.
func (c *cluster) migrateTemplate() error {
	ctx := context.Background()
	if _, err := c.admin.ExecContext(ctx, "CREATE DATABASE "+templateName); err != nil {
		return err
	}
	s, err := models.Open(ctx, c.url(templateName), nil)
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Migrate(ctx)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// stop shuts the server down (fast: its sessions are cut) and removes its folder.
func (c *cluster) stop() error {
	var errs []error
	if c.admin != nil {
		c.admin.Close()
	}
	if c.cmd != nil && c.cmd.Process != nil {
		c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.done:
		case <-time.After(15 * time.Second):
			c.cmd.Process.Kill()
			<-c.done
			errs = append(errs, errors.New("postgres did not stop within 15 s; killed"))
		}
	}
	if err := os.RemoveAll(c.dir); err != nil && !strings.Contains(err.Error(), "no such file") {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func stopCluster() error {
	clusterMu.Lock()
	defer clusterMu.Unlock()
	if theCluster == nil {
		return nil
	}
	err := theCluster.stop()
	theCluster = nil
	return err
}
