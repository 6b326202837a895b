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
)

// instance is one run of the charter binary.
type instance struct {
	cmd  *exec.Cmd
	log  *syncBuffer
	base string
	done chan error
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

// workdir holds the binary and the database of one stress run, and the SMTP server its mail goes to.
type workdir struct {
	dir, bin, db, addr string
	sink               *sink
}

// prepare builds the binary from the module at the current directory into a temporary folder.
func prepare(ctx context.Context) (*workdir, error) {
	dir, err := os.MkdirTemp("", "charter-stress-")
	if err != nil {
		return nil, err
	}
	w := &workdir{dir: dir, bin: filepath.Join(dir, "charter"), db: filepath.Join(dir, "charter.db")}
	build := exec.CommandContext(ctx, "go", "build", "-o", w.bin, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	w.addr = ln.Addr().String()
	ln.Close()
	if w.sink, err = startSink(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *workdir) cleanup() {
	w.sink.close()
	os.RemoveAll(w.dir)
}

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

// start runs `charter serve` and waits until it answers. The clients' addresses come from
// X-Forwarded-For, trusted from 127.0.0.1, so that each simulated client has its own rate limit.
// The site-wide mail limit, an abuse defence the abuse mode measures, is raised: these runs sign
// up thousands of organisations an hour and check that each one's mail arrives.
func (w *workdir) start(ctx context.Context) (*instance, error) {
	return w.startWith(ctx, "CHARTER_TRUSTED_PROXIES=127.0.0.1", "CHARTER_MAIL_PER_HOUR=100000000")
}

// startWith runs `charter serve` with extra settings (NAME=value) and waits until it answers.
func (w *workdir) startWith(ctx context.Context, env ...string) (*instance, error) {
	cmd := exec.Command(w.bin, "serve")
	cmd.Env = append(os.Environ(),
		"CHARTER_DB="+w.db,
		"CHARTER_ADDR="+w.addr,
		"CHARTER_SMTP_URL="+w.sink.url(),
		"CHARTER_NOTIFY_ADMINS=false",
	)
	cmd.Env = append(cmd.Env, env...)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	in := &instance{cmd: cmd, log: log, base: "http://" + w.addr, done: make(chan error, 1)}
	go func() { in.done <- cmd.Wait() }()
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

// kill ends the process at once, as a power cut or the OOM killer would.
func (in *instance) kill() {
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.done
}

// stop asks the process to shut down gracefully and waits for it.
func (in *instance) stop(timeout time.Duration) error {
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-in.done:
		return err
	case <-time.After(timeout):
		in.kill()
		return fmt.Errorf("did not stop within %s after SIGTERM", timeout)
	}
}
