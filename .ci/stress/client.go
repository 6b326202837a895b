package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// minFill is a little more than the shortest time the server believes a person needs for a form.
const minFill = 3200 * time.Millisecond

// clientSeq numbers the simulated clients and organisations.
var clientSeq atomic.Int64

// client is one browser: its own cookies, and the sign-up forms it fetched to sign with. The
// server accepts each form's stamp once, so a browser keeps a small stock of forms, oldest first.
type client struct {
	base  string
	bases []string // with several instances: each request goes to the next of them
	next  int
	http  *http.Client
	forms []openForm
}

// openForm is a sign-up form a client has fetched: its hidden fields and when it was served.
type openForm struct {
	hidden  url.Values
	fetched time.Time
}

// newSpreadClient is a browser whose requests go to the instances in turn, as a load balancer
// sends them. Its cookies are for 127.0.0.1 whatever the port, so all instances see them.
func newSpreadClient(bases []string) *client {
	c := newClient(bases[0])
	c.bases = bases
	return c
}

// url is the address of path on the instance whose turn it is.
func (c *client) url(path string) string {
	if len(c.bases) == 0 {
		return c.base + path
	}
	c.next++
	return c.bases[c.next%len(c.bases)] + path
}

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{
		base: base,
		http: &http.Client{
			Jar:     jar,
			Timeout: 30 * time.Second,
			// A 303 is the answer we check; do not follow it.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     &http.Transport{MaxIdleConnsPerHost: 4},
		},
	}
}

// fromAddress makes a request come, for the server's rate limits, from its own client address:
// the server trusts X-Forwarded-For from 127.0.0.1 in these runs. The addresses are from the
// range reserved for benchmarks and only ever appear in this header.
func fromAddress(req *http.Request, n int64) {
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.18.%d.%d", (n/250)%250, n%250+1))
}

// get fetches a page and returns its status and body.
func (c *client) get(path string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, c.url(path), nil)
	if err != nil {
		return 0, nil, err
	}
	fromAddress(req, clientSeq.Add(1))
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// fetchForm loads the sign-up form and keeps its hidden fields (time stamp, charter version). They
// stay good for one sign-up within a day, across restarts of the server.
func (c *client) fetchForm() error {
	status, body, err := c.get("/sign")
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET /sign: %d", status)
	}
	hidden := url.Values{}
	for _, m := range hiddenRE.FindAllSubmatch(body, -1) {
		hidden.Set(string(m[1]), string(m[2]))
	}
	if hidden.Get("_stamp") == "" {
		return fmt.Errorf("the sign-up form has no stamp")
	}
	c.forms = append(c.forms, openForm{hidden: hidden, fetched: time.Now()})
	return nil
}

// topUp fetches forms until the client holds n.
func (c *client) topUp(n int) error {
	for len(c.forms) < n {
		if err := c.fetchForm(); err != nil {
			return err
		}
	}
	return nil
}

// ready reports whether the oldest form has been open long enough to be sent.
func (c *client) ready() bool {
	return len(c.forms) > 0 && time.Since(c.forms[0].fetched) >= minFill
}

// orgEmail is the contact address of the n-th simulated organisation: a made-up name under a
// real top-level domain, which the form requires; nothing is ever sent there but to the sink.
func orgEmail(prefix string, n int64) string {
	return fmt.Sprintf("%s%06d@stress-org%06d.org", prefix, n, n)
}

// signUp sends the form for organisation n and returns the status.
func (c *client) signUp(prefix string, n int64) (int, error) {
	if len(c.forms) == 0 {
		return 0, fmt.Errorf("no sign-up form fetched")
	}
	form := c.forms[0]
	c.forms = c.forms[1:]
	if wait := minFill - time.Since(form.fetched); wait > 0 {
		time.Sleep(wait)
	}
	f := url.Values{}
	for k, v := range form.hidden {
		f[k] = v
	}
	f.Set("name", fmt.Sprintf("Stress Test Organisation %d", n))
	f.Set("category", "civil_society")
	f.Set("country", "FR")
	f.Set("website", fmt.Sprintf("https://www.stress-org%06d.org", n))
	f.Set("contact-name", "Camille Martin")
	f.Set("contact-role", "Director")
	f.Set("contact-email", orgEmail(prefix, n))
	f.Set("authorised", "yes")
	f.Set("agrees", "yes")
	req, err := http.NewRequest(http.MethodPost, c.url("/sign"), strings.NewReader(f.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	fromAddress(req, n)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// formStock is how many sign-up forms a load client keeps open; crashFormStock, a crash worker,
// which signs up back to back: each form must be open minFill before it is sent.
const formStock, crashFormStock = 2, 16
