package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"charter/handlers"
	"charter/models/dbtest"
)

// A client whose requests are spread over two instances on one database meets one limit: the
// allowance lives in the database, not in either process.
func TestRequestLimitIsSharedByInstances(t *testing.T) {
	a := newApp(t)
	second := &handlers.Handler{
		Store: dbtest.Open(t, a.dbPath, a.clock.Now), Log: a.h.Log, Charter: a.h.Charter, BaseURL: a.h.BaseURL, Now: a.h.Now,
	}
	other := second.Router()

	form := url.Values{"email": {"someone@example.org"}}
	codes := map[int]int{}
	for i := range 12 {
		req := httptestRequest(http.MethodPost, "/manage", form, a.cookies)
		req.RemoteAddr = "192.0.2.1:1000"
		rec := httptest.NewRecorder()
		if i%2 == 0 {
			a.router.ServeHTTP(rec, req)
		} else {
			other.ServeHTTP(rec, req)
		}
		codes[rec.Code]++
	}
	if codes[http.StatusTooManyRequests] != 2 {
		t.Errorf("12 requests alternating between two instances, burst 10: %v, want two 429", codes)
	}
}

// Concurrent requests of one client cannot all take the last of its allowance: exactly the burst
// passes, however they interleave.
func TestRequestLimitHoldsUnderConcurrency(t *testing.T) {
	a := newApp(t)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		refused int
	)
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a.postFrom("192.0.2.7:1000", "", "/manage", url.Values{"email": {"x@example.org"}}) == http.StatusTooManyRequests {
				mu.Lock()
				refused++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if refused != 20 {
		t.Errorf("30 concurrent requests, burst 10: %d refused, want 20", refused)
	}
}
