package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"charter/models"
)

// kinds of request in the load mix, with their share of the requests.
var mix = []struct {
	kind  string
	share int
}{
	{"home", 20},
	{"list", 25},
	{"search", 15},
	{"filter", 10},
	{"detail", 15},
	{"sign-up", 15},
}

var slugRE = regexp.MustCompile(`href="/signatories/([a-z0-9-]+)"`)

// runLoad seeds the database, starts the server (o.instances of them, on one database) and runs
// clients that mix page views, searches and sign-ups for the given time, each client's requests
// going to the instances in turn. With several instances it first checks what they share
// (checkShared). It fails on any 5xx or any "database is locked" in a log, and unless every
// sign-up answered 303 is stored exactly once.
func runLoad(ctx context.Context, clients int, duration time.Duration, seed int, o dbOptions) error {
	w, err := prepareDB(ctx, o)
	if err != nil {
		return err
	}
	defer w.cleanup()
	if seed > 0 {
		fmt.Printf("seeding %d signatories…\n", seed)
		if err := w.command(ctx, "seed", "--signatories", fmt.Sprint(seed)); err != nil {
			return err
		}
	}
	if o.instances > 1 {
		err := w.commandWith(ctx, []string{"CHARTER_ADMIN_PASSWORD=" + clusterPassword}, "admin", "create", "--email", clusterAdmin)
		if err != nil {
			return err
		}
	}
	ins, err := w.startAll(ctx)
	if err != nil {
		return err
	}
	defer func() {
		for _, in := range ins {
			if err := in.stop(20 * time.Second); err != nil {
				fmt.Println("stop:", err)
			}
		}
	}()
	if o.instances > 1 {
		if err := checkShared(ctx, w, ins); err != nil {
			return err
		}
	}
	in := ins[0]

	// Real slugs and words to search for, from the list itself.
	probe := newClient(in.base)
	_, page, err := probe.get("/signatories?sort=name")
	if err != nil {
		return err
	}
	var slugs, words []string
	for _, m := range slugRE.FindAllSubmatch(page, -1) {
		slug := string(m[1])
		slugs = append(slugs, slug)
		if word, _, _ := strings.Cut(slug, "-"); len(word) >= 3 {
			words = append(words, word[:3])
		}
	}
	if len(slugs) == 0 && seed > 0 {
		return fmt.Errorf("the list shows no signatory after seeding")
	}
	words = append(words, "org", "фонд", "universit", "zz")

	type sample struct {
		kind    string
		latency time.Duration
		status  int
		err     error
	}
	var (
		mu       sync.Mutex
		samples  []sample
		accepted []string // contact emails of the sign-ups answered 303
	)
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for range clients {
		c := newSpreadClient(bases(ins))
		if err := c.topUp(formStock); err != nil {
			return err
		}
		wg.Go(func() {
			var local []sample
			var signed []string
			for time.Now().Before(deadline) && ctx.Err() == nil {
				kind := pick()
				start := time.Now()
				var status int
				var err error
				switch kind {
				case "home":
					status, _, err = c.get("/")
				case "list":
					status, _, err = c.get(fmt.Sprintf("/signatories?page=%d", 1+rand.IntN(20)))
				case "search":
					status, _, err = c.get("/signatories?q=" + url.QueryEscape(words[rand.IntN(len(words))]))
				case "filter":
					status, _, err = c.get("/signatories?category=business&country=DE")
				case "detail":
					if len(slugs) == 0 {
						continue
					}
					status, _, err = c.get("/signatories/" + slugs[rand.IntN(len(slugs))])
				case "sign-up":
					if !c.ready() {
						continue // this browser's forms are not ready yet; do something else
					}
					start = time.Now()
					n := clientSeq.Add(1)
					status, err = c.signUp("load", n)
					if err == nil && status == http.StatusSeeOther {
						signed = append(signed, orgEmail("load", n))
					}
				}
				local = append(local, sample{kind, time.Since(start), status, err})
				if kind == "sign-up" {
					c.topUp(formStock) // a new form for the next sign-up; a failure shows as fewer sign-ups
				}
			}
			mu.Lock()
			samples = append(samples, local...)
			accepted = append(accepted, signed...)
			mu.Unlock()
		})
	}
	wg.Wait()

	// Report: throughput and latency per kind and in all.
	byKind := map[string][]time.Duration{}
	var serverErrors, clientErrors, transportErrors int
	for _, s := range samples {
		switch {
		case s.err != nil:
			transportErrors++
		case s.status >= 500:
			serverErrors++
		case s.status >= 400:
			clientErrors++
		}
		byKind[s.kind] = append(byKind[s.kind], s.latency)
		byKind["all"] = append(byKind["all"], s.latency)
	}
	fmt.Printf("\n%d clients for %s against %d seeded signatories on 127.0.0.1, %s\n\n", clients, duration, seed, o)
	fmt.Println("| requests | count | per second | p50 | p99 |")
	fmt.Println("|---|---:|---:|---:|---:|")
	for _, kind := range []string{"home", "list", "search", "filter", "detail", "sign-up", "all"} {
		l := byKind[kind]
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		fmt.Printf("| %s | %d | %.0f | %s | %s |\n", kind, len(l), float64(len(l))/duration.Seconds(),
			l[len(l)/2].Round(100*time.Microsecond), l[len(l)*99/100].Round(100*time.Microsecond))
	}
	locked := 0
	for _, in := range ins {
		locked += strings.Count(in.log.String(), "database is locked")
	}
	lost, twice, err := storedOnce(ctx, w, accepted)
	if err != nil {
		return err
	}
	fmt.Printf("\n5xx: %d; other 4xx: %d; transport errors: %d; \"database is locked\" in the log: %d\n",
		serverErrors, clientErrors, transportErrors, locked)
	fmt.Printf("sign-ups answered 303: %d; not stored: %d; stored more than once: %d\n", len(accepted), lost, twice)
	if serverErrors > 0 || locked > 0 || transportErrors > 0 {
		return fmt.Errorf("the server failed under load")
	}
	if lost > 0 || twice > 0 {
		return fmt.Errorf("acknowledged sign-ups were not stored exactly once")
	}
	fmt.Println("PASS")
	return nil
}

// storedOnce counts, of the contact emails given, those the database does not hold and those
// it holds more than once.
func storedOnce(ctx context.Context, w *workdir, emails []string) (lost, twice int, err error) {
	store, err := models.Open(ctx, w.db, nil)
	if err != nil {
		return 0, 0, err
	}
	defer store.Close()
	var rows []struct {
		ContactEmail string
		N            int
	}
	err = store.DB.WithContext(ctx).Raw("SELECT contact_email, COUNT(*) AS n FROM signatories GROUP BY contact_email").
		Scan(&rows).Error
	if err != nil {
		return 0, 0, err
	}
	count := make(map[string]int, len(rows))
	for _, r := range rows {
		count[r.ContactEmail] = r.N
	}
	for _, e := range emails {
		switch count[e] {
		case 0:
			lost++
		case 1:
		default:
			twice++
		}
	}
	return lost, twice, nil
}

// pick draws a kind of request by its share of the mix.
func pick() string {
	n := rand.IntN(100)
	for _, m := range mix {
		if n < m.share {
			return m.kind
		}
		n -= m.share
	}
	return mix[0].kind
}
