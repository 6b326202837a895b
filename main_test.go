package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"charter/config"
	"charter/models"
	"charter/models/dbtest"
)

func noEnv(string) string { return "" }

func TestBadConfigurationIsAUsageError(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "nonsense"},
		{"serve", "-log-format", "yaml"},
		{"serve", "extra"},
		{"backup"},
		{"frobnicate"},
	} {
		err := run(context.Background(), args, noEnv, io.Discard, io.Discard)
		if !errors.Is(err, config.ErrUsage) {
			t.Errorf("charter %v: err = %v, want a usage error (exit 2)", args, err)
		}
	}
}

// freeAddr finds a loopback port that is free now.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	addr := freeAddr(t)
	db := filepath.Join(t.TempDir(), "charter.db")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-addr", addr, "-db", db}, noEnv, io.Discard, io.Discard) }()

	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ {
		resp, err = http.Get("http://" + addr + "/healthz")
		if err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server never answered: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz = %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

// A backup taken while another connection keeps writing is a consistent database.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "charter.db")
	store := dbtest.Open(t, dbPath, nil)

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			err := store.DB.Create(&models.AuditEvent{CreatedAt: store.Now(), Actor: models.ActorSystem,
				Action: models.Action(fmt.Sprintf("write-%d", i))}).Error
			if err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 50 {
		time.Sleep(time.Millisecond)
	}

	out := filepath.Join(dir, "backup.db")
	var stdout strings.Builder
	err := run(context.Background(), []string{"backup", "-db", dbPath, out}, noEnv, &stdout, io.Discard)
	stop()
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(stdout.String(), out) {
		t.Errorf("backup said %q", stdout.String())
	}

	copy := dbtest.Open(t, out, nil)
	var check string
	if err := copy.DB.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	var n int64
	copy.DB.Model(&models.AuditEvent{}).Count(&n)
	if n == 0 || n > written.Load() {
		t.Errorf("backup holds %d events; %d were written", n, written.Load())
	}

	// A second backup to the same file is refused and leaves the first intact.
	err = run(context.Background(), []string{"backup", "-db", dbPath, out}, noEnv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: err = %v", err)
	}
}
