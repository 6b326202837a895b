package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"charter/models"
)

// runCrash starts the server, lets workers sign up concurrently, kills the server with SIGKILL
// at a random moment, and does it again, rounds times. Then it restarts the server once more and
// checks that every sign-up that was answered 303 is stored, that the database is intact, and
// that every such sign-up's confirmation mail arrives.
func runCrash(ctx context.Context, rounds, workers int) error {
	w, err := prepare(ctx)
	if err != nil {
		return err
	}
	defer w.cleanup()

	var (
		mu        sync.Mutex
		accepted  = map[string]bool{} // contact emails answered 303
		serverErr int
		refused   int // 4xx answers: rate limits or form guards, which must not happen here
	)
	clients := make([]*client, workers)
	for r := 1; r <= rounds; r++ {
		in, err := w.start(ctx)
		if err != nil {
			return fmt.Errorf("round %d: %w", r, err)
		}
		roundCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		for i := range clients {
			if clients[i] == nil { // the forms stay good across restarts
				clients[i] = newClient(in.base)
				if err := clients[i].topUp(crashFormStock); err != nil {
					in.kill()
					stop()
					return err
				}
			}
			c := clients[i]
			wg.Go(func() {
				for roundCtx.Err() == nil {
					if c.topUp(crashFormStock) != nil && len(c.forms) == 0 {
						continue // the server is down: this round is ending
					}
					n := clientSeq.Add(1)
					status, err := c.signUp("crash", n)
					mu.Lock()
					switch {
					case err != nil: // the server died under this request: its outcome is unknown
					case status == http.StatusSeeOther:
						accepted[orgEmail("crash", n)] = true
					case status >= 500:
						serverErr++
					default:
						refused++
					}
					mu.Unlock()
				}
			})
		}
		// Let sign-ups flow (the forms need their fill time first), then kill at a random moment.
		time.Sleep(minFill + time.Duration(rand.Int64N(int64(2500*time.Millisecond))))
		in.kill()
		stop()
		wg.Wait()
		mu.Lock()
		fmt.Printf("round %2d: killed with SIGKILL; %d sign-ups answered 303 so far\n", r, len(accepted))
		mu.Unlock()
	}

	// The last start: everything answered must be there, and every confirmation mail must go out.
	in, err := w.start(ctx)
	if err != nil {
		return fmt.Errorf("restart after the last crash: %w", err)
	}
	defer in.stop(15 * time.Second)
	store, err := models.Open(ctx, w.db, nil)
	if err != nil {
		return err
	}
	defer store.Close()

	var integrity string
	if err := store.DB.Raw("PRAGMA integrity_check").Row().Scan(&integrity); err != nil || integrity != "ok" {
		return fmt.Errorf("integrity_check: %q %v", integrity, err)
	}
	var stored []string
	if err := store.DB.Raw("SELECT contact_email FROM signatories").Scan(&stored).Error; err != nil {
		return err
	}
	have := map[string]bool{}
	for _, e := range stored {
		have[e] = true
	}
	var lost []string
	for e := range accepted {
		if !have[e] {
			lost = append(lost, e)
		}
	}
	// A message claimed by a worker that was killed waits for its lease to run out (2 minutes).
	deadline := time.Now().Add(4 * time.Minute)
	undelivered := len(accepted)
	for time.Now().Before(deadline) {
		undelivered = 0
		for e := range accepted {
			if w.sink.received(e) == 0 {
				undelivered++
			}
		}
		if undelivered == 0 {
			break
		}
		time.Sleep(time.Second)
	}
	var duplicates int
	for e := range accepted {
		if w.sink.received(e) > 1 {
			duplicates++
		}
	}
	fmt.Printf("\n%d rounds; %d sign-ups answered 303; %d stored in all; integrity_check: %s\n",
		rounds, len(accepted), len(stored), integrity)
	fmt.Printf("lost after a 303: %d; 5xx: %d; other refusals: %d; confirmations not delivered: %d; delivered twice: %d\n",
		len(lost), serverErr, refused, undelivered, duplicates)
	switch {
	case len(accepted) == 0:
		return fmt.Errorf("no sign-up was accepted: the run proved nothing")
	case len(lost) > 0:
		return fmt.Errorf("%d sign-ups answered 303 were lost, e.g. %s", len(lost), lost[0])
	case serverErr > 0:
		return fmt.Errorf("%d sign-ups got a 5xx", serverErr)
	case undelivered > 0:
		return fmt.Errorf("%d confirmation mails never arrived", undelivered)
	}
	fmt.Println("PASS")
	return nil
}
