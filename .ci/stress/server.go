package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"charter/models/dbtest"
)

// instance is one run of the charter binary.
type instance struct {
	cmd     *exec.Cmd
	log     *syncBuffer
	base    string
	done    chan error    // the process's exit, sent once
	exited  chan struct{} // closed when the process has exited, after exitErr is set
	exitErr error
}

// syncBuffer collects a process's output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// workdir holds the binary and the database of one stress run, the addresses its instances
// listen on, and the SMTP server their mail goes to.
type workdir struct {
	dir, bin string
	db       string   // a SQLite file's path or a PostgreSQL URL: what CHARTER_DB says
	addrs    []string // one 127.0.0.1 address per instance; the first is the site's base URL
	addr     string   // addrs[0]
	sink     *sink
	pg       *dbtest.Cluster // the throwaway PostgreSQL server, with -db postgres
}

// dbOptions are the flags that choose the database and how many instances of the server share it.
type dbOptions struct {
	db        string // sqlite or postgres
	instances int
}

func (o dbOptions) String() string {
	return fmt.Sprintf("%s, %d instance(s)", o.db, o.instances)
}

// check refuses what cannot run: several instances need PostgreSQL, as in production.
func (o dbOptions) check() error {
	switch {
	case o.db != "sqlite" && o.db != "postgres":
		return fmt.Errorf("-db %q: sqlite or postgres", o.db)
	case o.instances < 1 || o.instances > 8:
		return fmt.Errorf("-instances %d: 1 to 8", o.instances)
	case o.db == "sqlite" && o.instances > 1:
		return fmt.Errorf("-instances %d: several instances share a PostgreSQL database (-db postgres); SQLite serves one", o.instances)
	}
	return nil
}

var sqliteOne = dbOptions{db: "sqlite", instances: 1}

// prepare builds the binary for one instance on SQLite.
func prepare(ctx context.Context) (*workdir, error) { return prepareDB(ctx, sqliteOne) }

// prepareDB builds the binary from the module at the current directory into a temporary folder,
// picks a free address for each instance, and with -db postgres starts a throwaway PostgreSQL
// server (Debian's binaries, as the tests do; fsync and synchronous commit on, as in production)
// with one database. cleanup removes it all, the server too.
func prepareDB(ctx context.Context, o dbOptions) (_ *workdir, err error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "charter-stress-")
	if err != nil {
		return nil, err
	}
	w := &workdir{dir: dir, bin: filepath.Join(dir, "charter"), db: filepath.Join(dir, "charter.db")}
	defer func() {
		if err != nil {
			w.cleanup()
		}
	}()
	build := exec.CommandContext(ctx, "go", "build", "-o", w.bin, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	for range o.instances {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		w.addrs = append(w.addrs, ln.Addr().String())
		ln.Close()
	}
	w.addr = w.addrs[0]
	if o.db == "postgres" {
		if w.pg, err = dbtest.StartCluster(true); err != nil {
			return nil, fmt.Errorf("start PostgreSQL: %w", err)
		}
		if w.db, err = w.pg.CreateDatabase(ctx, "charter"); err != nil {
			return nil, err
		}
	}
	if w.sink, err = startSink(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *workdir) cleanup() {
	if w.sink != nil {
		w.sink.close()
	}
	if w.pg != nil {
		if err := w.pg.Stop(); err != nil {
			fmt.Println("stop PostgreSQL:", err)
		}
	}
	os.RemoveAll(w.dir)
}

// postgres reports whether the run is on PostgreSQL.
func (w *workdir) postgres() bool { return w.pg != nil }

// command runs a subcommand of the binary to completion.
func (w *workdir) command(ctx context.Context, args ...string) error {
	return w.commandWith(ctx, nil, args...)
}

// commandWith runs a subcommand with extra settings (NAME=value) to completion.
func (w *workdir) commandWith(ctx context.Context, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Env = append(append(os.Environ(), "CHARTER_DB="+w.db), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("charter %v: %v\n%s", args, err, out)
	}
	return nil
}

// stressEnv are the settings of the load and crash runs. The clients' addresses come from
// X-Forwarded-For, trusted from 127.0.0.1, so that each simulated client has its own rate limit.
// The site-wide mail limit, an abuse defence the abuse mode measures, is raised: these runs sign
// up thousands of organisations an hour and check that each one's mail arrives.
var stressEnv = []string{"CHARTER_TRUSTED_PROXIES=127.0.0.1", "CHARTER_MAIL_PER_HOUR=100000000"}

// start runs `charter serve` as the first instance, with stressEnv, and waits until it answers.
func (w *workdir) start(ctx context.Context) (*instance, error) {
	return w.startAt(ctx, 0, stressEnv...)
}

// startWith runs `charter serve` as the first instance with extra settings (NAME=value) and waits
// until it answers.
func (w *workdir) startWith(ctx context.Context, env ...string) (*instance, error) {
	return w.startAt(ctx, 0, env...)
}

// startAll starts every instance, one after the other, with stressEnv. On an error it stops
// those it started.
func (w *workdir) startAll(ctx context.Context) ([]*instance, error) {
	var ins []*instance
	for i := range w.addrs {
		in, err := w.startAt(ctx, i, stressEnv...)
		if err != nil {
			for _, in := range ins {
				in.kill()
			}
			return nil, fmt.Errorf("instance %d: %w", i+1, err)
		}
		ins = append(ins, in)
	}
	return ins, nil
}

// startAt runs `charter serve` as instance i, on its own address, with extra settings
// (NAME=value), and waits until it answers. Every instance has the same database, log key file
// and base URL, as behind a load balancer.
func (w *workdir) startAt(ctx context.Context, i int, env ...string) (*instance, error) {
	cmd := exec.Command(w.bin, "serve")
	cmd.Env = append(os.Environ(),
		"CHARTER_DB="+w.db,
		"CHARTER_ADDR="+w.addrs[i],
		"CHARTER_BASE_URL=http://"+w.addr,
		"CHARTER_LOG_KEY="+filepath.Join(w.dir, "charter.log-key"),
		"CHARTER_SMTP_URL="+w.sink.url(),
		"CHARTER_NOTIFY_ADMINS=false",
	)
	cmd.Env = append(cmd.Env, env...)
	// Should this program die without stopping it, the server dies too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	in := &instance{cmd: cmd, log: log, base: "http://" + w.addrs[i], done: make(chan error, 1), exited: make(chan struct{})}
	go func() {
		in.exitErr = cmd.Wait()
		close(in.exited)
		in.done <- in.exitErr
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(in.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return in, nil
			}
		}
		select {
		case err := <-in.done:
			return nil, fmt.Errorf("the server exited at start: %v\n%s", err, log)
		case <-time.After(50 * time.Millisecond):
		}
	}
	in.kill()
	return nil, fmt.Errorf("the server did not answer within 20s:\n%s", log)
}

// bases are the instances' URLs.
func bases(ins []*instance) []string {
	var b []string
	for _, in := range ins {
		b = append(b, in.base)
	}
	return b
}

// peakRSS is the process's peak resident memory so far (VmHWM), in bytes.
func (in *instance) peakRSS() (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", in.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err != nil {
				return 0, fmt.Errorf("VmHWM %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", in.cmd.Process.Pid)
}

// kill ends the process at once, as a power cut or the OOM killer would; it may be called again.
func (in *instance) kill() {
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.exited
}

// stop asks the process to shut down gracefully and waits for it.
func (in *instance) stop(timeout time.Duration) error {
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
		return in.exitErr
	case <-time.After(timeout):
		in.kill()
		return fmt.Errorf("did not stop within %s after SIGTERM", timeout)
	}
}
