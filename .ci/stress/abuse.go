package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// abuseScenario is one attack of the abuse mode. It gets a fresh work directory (binary built,
// mail sink running), starts its own server, prints its figures and returns an error when a
// target is missed.
type abuseScenario struct {
	name string
	run  func(ctx context.Context, w *workdir, o abuseOptions) error
}

// abuseScenarios are run in this order; `-scenario NAME` runs one of them.
var abuseScenarios = []abuseScenario{
	{"login", abuseLogin},
	{"mail", abuseMail},
}

// abuseOptions are the abuse mode's flags.
type abuseOptions struct {
	attempts  int // concurrent attacking requests
	addresses int // loopback addresses they come from (127.0.0.2 …)
	signups   int // mail: sign-ups to victim+N@example.org
	workers   int // mail: sign-ups at once
}

// maxPeakRSS is the most memory the server may take under any of the scenarios.
const maxPeakRSS = 200 << 20

// runAbuse runs the abuse scenarios, each against a server of its own.
func runAbuse(ctx context.Context, only string, o abuseOptions) error {
	ran := 0
	for _, sc := range abuseScenarios {
		if only != "" && sc.name != only {
			continue
		}
		ran++
		fmt.Printf("== abuse: %s\n", sc.name)
		w, err := prepare(ctx)
		if err != nil {
			return err
		}
		err = sc.run(ctx, w, o)
		w.cleanup()
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
	}
	if ran == 0 {
		return fmt.Errorf("no abuse scenario called %q", only)
	}
	fmt.Println("PASS")
	return nil
}

// loopbackClient is a browser whose connections come from the loopback address ip, so that the
// server, trusting no proxy, sees it as its own client.
func loopbackClient(base, ip string) *client {
	jar, _ := cookiejar.New(nil)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &client{base: base, http: &http.Client{
		Jar:           jar,
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 2},
	}}
}

// signIn fetches the sign-in form and posts it, as a browser would; it returns the status.
func (c *client) signIn(email, password string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, c.base+"/admin/login", nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	form := url.Values{}
	for _, m := range hiddenRE.FindAllSubmatch(body, -1) {
		form.Set(string(m[1]), string(m[2]))
	}
	form.Set("email", email)
	form.Set("password", password)
	req, err = http.NewRequest(http.MethodPost, c.base+"/admin/login", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = c.http.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// cookie returns the value of the browser's cookie name for /admin, or "".
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base + "/admin/")
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

const (
	abuseOwner    = "owner@stress.test"
	abusePassword = "the owner's long password"
	// accountBurst is the failed sign-ins an account allows unknown devices before it pauses
	// (models.accountRule): at most this many guesses may be checked against the real hash.
	accountBurst = 5
)

var checksRE = regexp.MustCompile(`msg="password checks" real=(\d+) dummy=(\d+) refused_busy=(\d+)`)

// abuseLogin: the owner signs in once (their browser keeps the device cookie); then o.attempts
// concurrent wrong sign-ins for the owner's account from o.addresses loopback addresses; then the
// owner's browser signs in again. It reports the password checks the server ran (its own count,
// logged at shutdown), its peak memory, and the answers.
func abuseLogin(ctx context.Context, w *workdir, o abuseOptions) error {
	err := w.commandWith(ctx, []string{"CHARTER_ADMIN_PASSWORD=" + abusePassword}, "admin", "create", "--email", abuseOwner)
	if err != nil {
		return err
	}
	in, err := w.startWith(ctx) // no trusted proxy: each loopback address is a client of its own
	if err != nil {
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			in.kill()
		}
	}()

	owner := loopbackClient(in.base, "127.0.0.1")
	if status, err := owner.signIn(abuseOwner, abusePassword); err != nil || status != http.StatusSeeOther {
		return fmt.Errorf("the owner's first sign-in: %d %v", status, err)
	}
	device := owner.cookie("charter_device")
	if device == "" {
		return fmt.Errorf("no device cookie after the owner signed in")
	}
	rssBefore, err := in.peakRSS()
	if err != nil {
		return err
	}
	// The owner's browser later: the device cookie kept, the session long gone.
	owner = loopbackClient(in.base, "127.0.0.1")
	u, _ := url.Parse(in.base + "/admin/")
	owner.http.Jar.SetCookies(u, []*http.Cookie{{Name: "charter_device", Value: device, Path: "/admin"}})

	type result struct {
		status int
		took   time.Duration
		err    error
	}
	results := make([]result, o.attempts)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range o.attempts {
		c := loopbackClient(in.base, fmt.Sprintf("127.0.0.%d", 2+i%o.addresses))
		wg.Go(func() {
			<-start
			t := time.Now()
			status, err := c.signIn(abuseOwner, fmt.Sprintf("guess number %d", i))
			results[i] = result{status, time.Since(t), err}
		})
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)

	ownerStatus, ownerErr := owner.signIn(abuseOwner, abusePassword)
	stranger := loopbackClient(in.base, fmt.Sprintf("127.0.0.%d", 2+o.addresses))
	strangerStatus, strangerErr := stranger.signIn(abuseOwner, abusePassword)

	rss, err := in.peakRSS()
	if err != nil {
		return err
	}
	if err := in.stop(20 * time.Second); err != nil {
		return err
	}
	stopped = true
	m := checksRE.FindStringSubmatch(in.log.String())
	if m == nil {
		return fmt.Errorf("no password checks line in the server's log:\n%s", in.log)
	}
	var real, dummy, busy int
	fmt.Sscan(m[1], &real)
	fmt.Sscan(m[2], &dummy)
	fmt.Sscan(m[3], &busy)

	byStatus := map[int]int{}
	var durations []time.Duration
	errs := 0
	for _, r := range results {
		if r.err != nil {
			errs++
			continue
		}
		byStatus[r.status]++
		durations = append(durations, r.took)
	}
	slices.Sort(durations)
	pct := func(p int) time.Duration {
		if len(durations) == 0 {
			return 0
		}
		return durations[(len(durations)-1)*p/100].Round(time.Millisecond)
	}
	// The owner's two sign-ins with the right password were real checks too.
	guessed := real - 2
	fmt.Printf("%d concurrent wrong sign-ins for one account from %d loopback addresses, in %s\n",
		o.attempts, o.addresses, elapsed.Round(time.Millisecond))
	fmt.Printf("answers: 422 (refused) %d, 429 (address throttled) %d, 503 (checks busy) %d, other %d, transport errors %d; p50 %s, p99 %s\n",
		byStatus[422], byStatus[429], byStatus[503],
		len(durations)-byStatus[422]-byStatus[429]-byStatus[503], errs, pct(50), pct(99))
	fmt.Printf("password checks (server's count): %d against the real hash (%d of them the owner's), %d dummy, %d refused as busy\n",
		real, real-guessed, dummy, busy)
	fmt.Printf("guesses checked against the real hash: %d (target ≤ %d)\n", guessed, accountBurst)
	fmt.Printf("server peak RSS (VmHWM): %.1f MiB (target ≤ %d MiB); %.1f MiB before the attack\n",
		float64(rss)/(1<<20), maxPeakRSS>>20, float64(rssBefore)/(1<<20))
	fmt.Printf("owner's device, right password: %d (want 303); a new browser, right password: %d (want 422: paused for unknown devices)\n",
		ownerStatus, strangerStatus)

	switch {
	case ownerErr != nil || strangerErr != nil:
		return fmt.Errorf("owner: %v; new browser: %v", ownerErr, strangerErr)
	case guessed > accountBurst:
		return fmt.Errorf("%d guesses checked against the real hash, more than %d", guessed, accountBurst)
	case rss > maxPeakRSS:
		return fmt.Errorf("peak RSS %d MiB over %d MiB", rss>>20, maxPeakRSS>>20)
	case ownerStatus != http.StatusSeeOther:
		return fmt.Errorf("the owner's device could not sign in: %d", ownerStatus)
	case byStatus[http.StatusSeeOther] > 0 || byStatus[http.StatusInternalServerError] > 0:
		return fmt.Errorf("wrong passwords answered %v", byStatus)
	}
	return nil
}
