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
// that every such sign-up's confirmation mail arrives. With several instances, see crashOne.
func runCrash(ctx context.Context, rounds, workers int, o dbOptions) error {
	w, err := prepareDB(ctx, o)
	if err != nil {
		return err
	}
	defer w.cleanup()
	if o.instances > 1 {
		return crashOne(ctx, w, rounds, workers)
	}

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
	return crashVerdict(ctx, w, fmt.Sprintf("%d rounds", rounds), accepted, serverErr, refused)
}

// crashOne runs every instance and has workers sign up, each request to the next instance; in
// each round it kills one instance (in turn) with SIGKILL at a random moment while the others
// keep answering, lets the load run on them for a second, and restarts it. At the end every
// sign-up any instance answered 303 must be stored and its confirmation mail delivered.
func crashOne(ctx context.Context, w *workdir, rounds, workers int) error {
	ins, err := w.startAll(ctx)
	if err != nil {
		return err
	}
	defer func() {
		for _, in := range ins {
			in.stop(15 * time.Second)
		}
	}()
	var (
		mu        sync.Mutex
		accepted  = map[string]bool{} // contact emails answered 303
		serverErr int
		refused   int
		cut       int // sign-ups whose answer never came: cut by a kill, or sent to a dead instance
		wg        sync.WaitGroup
	)
	loadCtx, stop := context.WithCancel(ctx)
	defer stop()
	// Each worker fetches a form every minFill/crashFormStock, from a random moment on, and sends
	// the oldest once it is ready, so that sign-ups flow all the time rather than in bursts that a
	// kill could fall between.
	pace := minFill / crashFormStock
	for range workers {
		c := newSpreadClient(bases(ins))
		wg.Go(func() {
			time.Sleep(rand.N(pace))
			var fetched time.Time
			for loadCtx.Err() == nil {
				if len(c.forms) < crashFormStock && time.Since(fetched) >= pace {
					fetched = time.Now()
					c.fetchForm() // fails when that instance is down: the next try goes to another
				}
				if !c.ready() {
					time.Sleep(20 * time.Millisecond)
					continue
				}
				n := clientSeq.Add(1)
				status, err := c.signUp("crash", n)
				mu.Lock()
				switch {
				case err != nil: // the instance died under this request, or was down
					cut++
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
	fail := func(err error) error {
		stop()
		wg.Wait()
		return err
	}
	for r := 1; r <= rounds; r++ {
		k := (r - 1) % len(ins)
		time.Sleep(minFill + time.Duration(rand.Int64N(int64(2500*time.Millisecond))))
		mu.Lock()
		before := len(accepted)
		mu.Unlock()
		ins[k].kill()
		time.Sleep(time.Second) // the others carry the load alone
		in, err := w.startAt(ctx, k, stressEnv...)
		if err != nil {
			return fail(fmt.Errorf("round %d: restart instance %d: %w", r, k+1, err))
		}
		ins[k] = in
		mu.Lock()
		fmt.Printf("round %2d: instance %d killed with SIGKILL and restarted; %d sign-ups answered 303 so far, %d while it was down\n",
			r, k+1, len(accepted), len(accepted)-before)
		mu.Unlock()
	}
	time.Sleep(minFill) // the restarted instance answers sign-ups too
	stop()
	wg.Wait()
	fmt.Printf("sign-ups without an answer (cut by a kill, or sent to a dead instance): %d\n", cut)
	return crashVerdict(ctx, w, fmt.Sprintf("%d rounds over %d instances", rounds, len(ins)), accepted, serverErr, refused)
}

// crashVerdict checks, with the server running again, that every sign-up answered 303 is stored,
// that a SQLite database is intact, and that every such sign-up's confirmation mail arrives.
func crashVerdict(ctx context.Context, w *workdir, what string, accepted map[string]bool, serverErr, refused int) error {
	store, err := models.Open(ctx, w.db, nil)
	if err != nil {
		return err
	}
	defer store.Close()

	integrity := "not applicable (PostgreSQL)"
	if !w.postgres() {
		if err := store.DB.Raw("PRAGMA integrity_check").Row().Scan(&integrity); err != nil || integrity != "ok" {
			return fmt.Errorf("integrity_check: %q %v", integrity, err)
		}
	}
	var stored []string
	if err := store.DB.Raw("SELECT contact_email FROM signatories").Scan(&stored).Error; err != nil {
		return err
	}
	have := map[string]int{}
	for _, e := range stored {
		have[e]++
	}
	var lost []string
	twice := 0
	for e := range accepted {
		switch have[e] {
		case 0:
			lost = append(lost, e)
		case 1:
		default:
			twice++
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
	fmt.Printf("\n%s; %d sign-ups answered 303; %d stored in all; integrity_check: %s\n",
		what, len(accepted), len(stored), integrity)
	fmt.Printf("lost after a 303: %d; stored twice: %d; 5xx: %d; other refusals: %d; confirmations not delivered: %d; delivered twice: %d\n",
		len(lost), twice, serverErr, refused, undelivered, duplicates)
	switch {
	case len(accepted) == 0:
		return fmt.Errorf("no sign-up was accepted: the run proved nothing")
	case len(lost) > 0:
		return fmt.Errorf("%d sign-ups answered 303 were lost, e.g. %s", len(lost), lost[0])
	case twice > 0:
		return fmt.Errorf("%d sign-ups answered 303 were stored more than once", twice)
	case serverErr > 0:
		return fmt.Errorf("%d sign-ups got a 5xx", serverErr)
	case undelivered > 0:
		return fmt.Errorf("%d confirmation mails never arrived", undelivered)
	}
	fmt.Println("PASS")
	return nil
}
