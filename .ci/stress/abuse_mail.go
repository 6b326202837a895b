package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// abuseMail tries to flood one mailbox through the sign-up form: signups sign-ups to
// victim+N@example.org, each from its own loopback address (127.0.0.N, bound with the dialer's
// LocalAddr, so the server sees a different client every time), against the real binary with
// the SMTP sink. It reports how many mails reached that mailbox (target: at most 3 a day), and
// checks that an ordinary sign-up meanwhile still gets its mail.
func abuseMail(ctx context.Context, w *workdir, o abuseOptions) error {
	signups, concurrency := o.signups, o.workers
	in, err := w.startWith(ctx, "CHARTER_TRUSTED_PROXIES=127.0.0.1") // the mail limits as shipped
	if err != nil {
		return err
	}
	defer in.stop(10 * time.Second)

	var (
		answered303, other atomic.Int64
		wg                 sync.WaitGroup
		sem                = make(chan struct{}, concurrency)
		start              = time.Now()
	)
	for n := range signups {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			status, err := signUpFrom(in.base, loopback(n), fmt.Sprintf("victim+%d@example.org", n),
				fmt.Sprintf("Call +1 555 0100 or see https://spam.example/%d", n), n)
			if err != nil || status != http.StatusSeeOther {
				other.Add(1)
				return
			}
			answered303.Add(1)
		})
	}
	wg.Wait()
	// An ordinary organisation signs up after the flood, from its own address.
	legit := orgEmail("legit", 1)
	if status, err := signUpFrom(in.base, loopback(signups), legit, "Legit Organisation", 900001); err != nil || status != http.StatusSeeOther {
		return fmt.Errorf("the ordinary sign-up after the flood: %d %v", status, err)
	}
	elapsed := time.Since(start)

	// Let the worker deliver what was queued: until nothing new arrives for 3 seconds.
	last, quiet := -1, time.Now()
	for time.Since(quiet) < 3*time.Second && time.Since(start) < 2*time.Minute {
		if n := w.sink.total(); n != last {
			last, quiet = n, time.Now()
		}
		time.Sleep(200 * time.Millisecond)
	}
	victim := w.sink.receivedMailbox("victim@example.org")
	fmt.Printf("\n%d sign-ups to victim+N@example.org from %d loopback addresses in %s: %d answered 303 /sign/sent, %d otherwise\n",
		signups, signups, elapsed.Round(time.Millisecond), answered303.Load(), other.Load())
	fmt.Printf("mails delivered to the mailbox victim@example.org: %d (target ≤ 3); ordinary sign-up's mail delivered: %d; all mail: %d\n",
		victim, w.sink.received(legit), w.sink.total())
	switch {
	case answered303.Load() != int64(signups):
		return fmt.Errorf("%d sign-ups were not answered the usual 303", other.Load())
	case victim > 3:
		return fmt.Errorf("%d mails reached one mailbox, want at most 3", victim)
	case w.sink.received(legit) != 1:
		return fmt.Errorf("the ordinary sign-up's mail was not delivered")
	}
	return nil
}

// loopback is the n-th client address, 127.0.0.2 and up.
func loopback(n int) net.IP {
	return net.IPv4(127, 0, byte(n/250), byte(n%250+2))
}

// signUpFrom fetches the sign-up form and sends it, both over connections from local, as one
// browser would; it returns the status of the POST.
func signUpFrom(base string, local net.IP, email, name string, n int) (int, error) {
	c := newClient(base)
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: local}, Timeout: 10 * time.Second}
	c.http.Transport = &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}
	defer c.http.CloseIdleConnections()
	if err := c.fetchFormDirect(); err != nil {
		return 0, err
	}
	form := c.forms[0]
	if wait := minFill - time.Since(form.fetched); wait > 0 {
		time.Sleep(wait)
	}
	f := url.Values{}
	for k, v := range form.hidden {
		f[k] = v
	}
	f.Set("name", name)
	f.Set("category", "civil_society")
	f.Set("country", "FR")
	f.Set("website", fmt.Sprintf("https://www.abuse-org%06d.org", n))
	f.Set("contact-name", "Camille Martin")
	f.Set("contact-role", "Director")
	f.Set("contact-email", email)
	f.Set("authorised", "yes")
	f.Set("agrees", "yes")
	resp, err := c.http.PostForm(c.base+"/sign", f)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// fetchFormDirect is fetchForm without the X-Forwarded-For header: the client is the address
// of its connection.
func (c *client) fetchFormDirect() error {
	resp, err := c.http.Get(c.base + "/sign")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /sign: %d", resp.StatusCode)
	}
	hidden := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(string(body), -1) {
		hidden.Set(m[1], m[2])
	}
	if hidden.Get("_stamp") == "" {
		return fmt.Errorf("the sign-up form has no stamp")
	}
	c.forms = append(c.forms, openForm{hidden: hidden, fetched: time.Now()})
	return nil
}

// receivedMailbox is how many messages reached the mailbox: every address that is mailbox with a
// +tag added, or none.
func (s *sink) receivedMailbox(mailbox string) int {
	local, domain, _ := strings.Cut(mailbox, "@")
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for to, k := range s.got {
		l, d, _ := strings.Cut(strings.ToLower(to), "@")
		l, _, _ = strings.Cut(l, "+")
		if l == local && d == domain {
			n += k
		}
	}
	return n
}

// total is how many messages the sink received in all.
func (s *sink) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range s.got {
		n += k
	}
	return n
}
