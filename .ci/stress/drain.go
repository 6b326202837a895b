package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// runDrain puts the server under load, sends it SIGTERM, and checks that every request that
// reached it before then was answered in full, with no 5xx.
func runDrain(ctx context.Context, clients int) error {
	w, err := prepare(ctx)
	if err != nil {
		return err
	}
	defer w.cleanup()
	sink, err := startSink()
	if err != nil {
		return err
	}
	defer sink.close()
	w.smtpURL = sink.url()
	if err := w.command(ctx, "seed", "--signatories", "2000"); err != nil {
		return err
	}
	in, err := w.start(ctx)
	if err != nil {
		return err
	}

	var (
		termAt    atomic.Int64 // when SIGTERM was sent, in UnixNano; 0 before
		answered  atomic.Int64
		refused   atomic.Int64 // connections refused after the listener closed: never reached it
		mu        sync.Mutex
		failures  []string
		wg        sync.WaitGroup
		stopUsers = make(chan struct{})
	)
	for range clients {
		c := newClient(in.base)
		c.http.Transport = &http.Transport{DisableKeepAlives: true} // each request a new connection
		wg.Go(func() {
			paths := []string{"/", "/signatories", "/signatories.csv", "/signatories?q=org"}
			for i := 0; ; i++ {
				select {
				case <-stopUsers:
					return
				default:
				}
				started := time.Now().UnixNano()
				status, _, err := c.get(paths[i%len(paths)])
				sent := termAt.Load()
				switch {
				case err == nil && status < 500:
					answered.Add(1)
				case err != nil && errors.Is(err, syscall.ECONNREFUSED):
					refused.Add(1)
				case sent == 0 || started < sent:
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%s: status %d, %v", paths[i%len(paths)], status, err))
					mu.Unlock()
				}
				if sent != 0 && err != nil {
					return
				}
			}
		})
	}
	time.Sleep(3 * time.Second)
	termAt.Store(time.Now().UnixNano())
	in.cmd.Process.Signal(syscall.SIGTERM)
	var exitErr error
	select {
	case exitErr = <-in.done:
	case <-time.After(30 * time.Second):
		in.kill()
		exitErr = fmt.Errorf("did not stop within 30s")
	}
	close(stopUsers)
	wg.Wait()
	fmt.Printf("%d clients; %d requests answered; %d refused after the listener closed; %d failed; exit: %v\n",
		clients, answered.Load(), refused.Load(), len(failures), exitErr)
	if exitErr != nil {
		return fmt.Errorf("the server did not exit cleanly: %v\n%s", exitErr, in.log)
	}
	if len(failures) > 0 {
		return fmt.Errorf("requests in flight at SIGTERM failed, e.g. %s", failures[0])
	}
	fmt.Println("PASS")
	return nil
}
