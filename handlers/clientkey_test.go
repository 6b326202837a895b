package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

func TestSigningLimitCountsAnIPv6SubnetAsOneClient(t *testing.T) {
	a := newApp(t)
	status := func(remote string) int {
		req := httptestRequest(http.MethodPost, "/sign/resend", url.Values{"email": {"x@example.org"}}, a.cookies)
		req.RemoteAddr = remote
		return serve(a.router, req).Code
	}
	// The signing forms allow a burst of 10 per client; each request here comes from another
	// address of the same /64.
	for i := 1; i <= 10; i++ {
		if c := status(fmt.Sprintf("[2001:db8:1:2::%x]:4000", i)); c == http.StatusTooManyRequests {
			t.Fatalf("request %d from the /64 refused already", i)
		}
	}
	if c := status("[2001:db8:1:2:ffff::1]:4000"); c != http.StatusTooManyRequests {
		t.Errorf("the 11th request from the same /64 = %d, want 429", c)
	}
	if c := status("[2001:db8:1:3::1]:4000"); c == http.StatusTooManyRequests {
		t.Error("another /64 was refused too")
	}
}
