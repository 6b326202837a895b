package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// runDrain puts the server under load, sends it SIGTERM, and checks that every request the
// server began to handle was answered in full, with no 5xx: the number of requests the server
// logged must equal the number of complete answers the clients read. Connections still waiting in
// the kernel's queue when the listener closes are reset without reaching the application; they are
// counted apart.
func runDrain(ctx context.Context, clients int) error {
	w, err := prepare(ctx)
	if err != nil {
		return err
	}
	defer w.cleanup()
	if err := w.command(ctx, "seed", "--signatories", "2000"); err != nil {
		return err
	}
	in, err := w.start(ctx)
	if err != nil {
		return err
	}

	var (
		stopping  atomic.Bool
		answered  atomic.Int64 // complete responses below 500
		failed5xx atomic.Int64
		notServed atomic.Int64 // refused or reset before the application read the request
		wg        sync.WaitGroup
	)
	paths := []string{"/", "/signatories", "/signatories.csv", "/signatories?q=org"}
	for range clients {
		c := newClient(in.base)
		c.http.Transport = &http.Transport{DisableKeepAlives: true} // each request a new connection
		wg.Go(func() {
			for i := 0; ; i++ {
				status, _, err := c.get(paths[i%len(paths)])
				switch {
				case err != nil:
					notServed.Add(1)
					if stopping.Load() {
						return
					}
				case status >= 500:
					failed5xx.Add(1)
				default:
					answered.Add(1)
				}
			}
		})
	}
	time.Sleep(3 * time.Second)
	stopping.Store(true)
	in.cmd.Process.Signal(syscall.SIGTERM)
	var exitErr error
	select {
	case exitErr = <-in.done:
	case <-time.After(30 * time.Second):
		in.kill()
		exitErr = fmt.Errorf("did not stop within 30s")
	}
	wg.Wait()

	log := in.log.String()
	handled := 0
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "msg=request") && !strings.Contains(line, "path=/healthz") {
			handled++
		}
	}
	fmt.Printf("%d clients; the server handled %d requests and the clients read %d complete answers; "+
		"%d 5xx; %d connections refused or reset before reaching the application; exit: %v\n",
		clients, handled, answered.Load(), failed5xx.Load(), notServed.Load(), exitErr)
	switch {
	case exitErr != nil:
		return fmt.Errorf("the server did not exit cleanly: %v\n%s", exitErr, log)
	case failed5xx.Load() > 0:
		return fmt.Errorf("%d answers were 5xx", failed5xx.Load())
	case int64(handled) != answered.Load():
		return fmt.Errorf("the server handled %d requests but the clients read %d answers: some were cut off", handled, answered.Load())
	case !strings.Contains(log, "shutting down"):
		return fmt.Errorf("the server did not log its graceful shutdown:\n%s", log)
	}
	fmt.Println("PASS")
	return nil
}
