package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"charter/models"
)

// What the instances of one site must share, checked by the load mode before its load when it
// runs several instances: a decision taken on one shows on the others, and a client spread over
// them meets one rate limit.

const (
	clusterAdmin    = "reviewer@stress.test"
	clusterPassword = "the reviewer's long password"
	// publicMaxAge is CHARTER_PUBLIC_MAX_AGE's default: how long a browser or CDN may reuse a
	// public page. The clients here keep no cache, so a change must show within the time an
	// instance trusts its last read of the public state; the bound allows the max-age on top.
	publicMaxAge = time.Second
	// signingBurst is the sign-up forms one client may send at once (the "signing" limit of
	// handlers/routes.go: 10, then one every 20 s).
	signingBurst = 10
)

var confirmRE = regexp.MustCompile(`/confirm/([A-Za-z0-9_-]+)`)

// checkShared runs the checks of what the instances share; an approval is made through the
// console of the first instance and must show on the public page of the second within a second
// plus the public max-age.
func checkShared(ctx context.Context, w *workdir, ins []*instance) error {
	a, b := ins[0], ins[1]
	delay, err := approvalDelay(ctx, w, a, b)
	if err != nil {
		return fmt.Errorf("an approval across instances: %w", err)
	}
	fmt.Printf("an approval made on instance 1 showed on instance 2's public page after %s (bound %s)\n",
		delay.Round(time.Millisecond), time.Second+publicMaxAge)
	if delay > time.Second+publicMaxAge {
		return fmt.Errorf("the approval took %s to show on the other instance", delay)
	}
	got, err := oneRateLimit(bases(ins))
	if err != nil {
		return fmt.Errorf("one rate limit: %w", err)
	}
	fmt.Printf("one client alternating over %d instances: sign-up answers %v\n", len(ins), got)
	for i, status := range got {
		if limited := status == http.StatusTooManyRequests; limited != (i >= signingBurst) {
			return fmt.Errorf("request %d of one client over the instances got %d: want %d allowed, then 429", i+1, status, signingBurst)
		}
	}
	return nil
}

// approvalDelay signs an organisation up on instance a, confirms it on b from the link in its
// mail, approves it in a's console, and polls b's public page of it until it shows: it returns
// the time from a's answer to the approval to the first 200 from b.
func approvalDelay(ctx context.Context, w *workdir, a, b *instance) (time.Duration, error) {
	signer := newClient(a.base)
	if err := signer.topUp(1); err != nil {
		return 0, err
	}
	n := clientSeq.Add(1)
	email := orgEmail("watch", n)
	if status, err := signer.signUp("watch", n); err != nil || status != http.StatusSeeOther {
		return 0, fmt.Errorf("sign up: %d %v", status, err)
	}
	var token string
	for deadline := time.Now().Add(30 * time.Second); token == "" && time.Now().Before(deadline); {
		if m := confirmRE.FindStringSubmatch(w.sink.lastText(email)); m != nil {
			token = m[1]
		} else {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if token == "" {
		return 0, fmt.Errorf("no confirmation link reached %s within 30 s", email)
	}
	confirmer := newClient(b.base)
	if status, err := confirmer.post("/confirm/"+token, nil); err != nil || status != http.StatusSeeOther {
		return 0, fmt.Errorf("confirm on instance 2: %d %v", status, err)
	}

	store, err := models.Open(ctx, w.db, nil)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	var row struct {
		ID     int64
		Slug   string
		Status string
	}
	if err := store.DB.Raw("SELECT id, slug, status FROM signatories WHERE contact_email = ?", email).Scan(&row).Error; err != nil {
		return 0, err
	}
	if row.Status != string(models.StatusPending) {
		return 0, fmt.Errorf("after confirmation the application is %q, not pending", row.Status)
	}
	page := "/signatories/" + row.Slug
	reader := newClient(b.base)
	if status, _, err := reader.get(page); err != nil || status != http.StatusNotFound {
		return 0, fmt.Errorf("instance 2 shows the application before its approval: %d %v", status, err)
	}

	reviewer := newClient(a.base)
	if status, err := reviewer.signIn(clusterAdmin, clusterPassword); err != nil || status != http.StatusSeeOther {
		return 0, fmt.Errorf("sign in to instance 1's console: %d %v", status, err)
	}
	admin := fmt.Sprintf("/admin/signatories/%d", row.ID)
	status, body, err := reviewer.get(admin)
	if err != nil || status != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %d %v", admin, status, err)
	}
	form := url.Values{}
	for _, m := range hiddenRE.FindAllSubmatch(body, -1) {
		form.Set(string(m[1]), string(m[2]))
	}
	if status, err := reviewer.post(admin+"/approve", form); err != nil || status != http.StatusSeeOther {
		return 0, fmt.Errorf("approve on instance 1: %d %v", status, err)
	}
	approved := time.Now()
	for time.Since(approved) < 10*time.Second {
		status, _, err := reader.get(page)
		if err != nil {
			return 0, err
		}
		if status == http.StatusOK {
			return time.Since(approved), nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0, fmt.Errorf("instance 2 did not show the approved signatory within 10 s")
}

// post sends a form as the browser would from the site's own page, and returns the status.
func (c *client) post(path string, form url.Values) (int, error) {
	req, err := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// oneRateLimit sends signingBurst+1 sign-up forms (empty: the limit is taken before the form is
// read) from one client address, to the instances in turn, and returns the statuses.
func oneRateLimit(bases []string) ([]int, error) {
	c := newSpreadClient(bases)
	var got []int
	for range signingBurst + 1 {
		req, err := http.NewRequest(http.MethodPost, c.url("/sign"), strings.NewReader(""))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// An address outside the range the simulated clients use (fromAddress).
		req.Header.Set("X-Forwarded-For", "198.19.0.1")
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got = append(got, resp.StatusCode)
	}
	return got, nil
}
