package handlers

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
)

// ipExtractor decides who the client is. Without trusted proxies it is the peer of the TCP
// connection and every forwarding header is ignored, so a client cannot choose its own address
// to dodge a rate limit or a lock-out. With them, X-Forwarded-For is read from the right, skipping
// only the listed proxies.
func (h *Handler) ipExtractor() echo.IPExtractor {
	if len(h.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range h.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// limit is a per-client rate limit: on average one request every `every`, with bursts of `burst`.
// A client is an IPv4 address or an IPv6 /64 (clientKey). The counters live in memory: losing
// them on a restart is harmless, since the mail the forms cause is limited in the database too
// (models.MailLimits).
func (h *Handler) limit(every time.Duration, burst int) echo.MiddlewareFunc {
	store := &limiterStore{every: rate.Every(every), burst: burst, now: h.now, clients: map[string]*clientLimit{}}
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return clientKey(c.RealIP()), nil
		},
		DenyHandler: func(c echo.Context, client string, _ error) error {
			setRetryAfter(c, store.wait(client))
			return echo.NewHTTPError(http.StatusTooManyRequests)
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return echo.NewHTTPError(http.StatusTooManyRequests)
		},
	})
}

// setRetryAfter tells the client how long to wait, in whole seconds rounded up: never too early.
func setRetryAfter(c echo.Context, d time.Duration) {
	secs := int64(math.Ceil(d.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
}

// limiterStore keeps a token bucket per client on the handler's clock (so tests can move time).
// Echo's own memory store reads the wall clock; this one is the same idea in a few lines.
type limiterStore struct {
	every     rate.Limit
	burst     int
	now       func() time.Time
	mu        sync.Mutex
	clients   map[string]*clientLimit
	lastSweep time.Time
}

type clientLimit struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

// idleAfter is how long a client's bucket is kept after its last request; by then it is full.
const idleAfter = 30 * time.Minute

// Allow takes a token from the client's bucket, if there is one.
func (s *limiterStore) Allow(client string) (bool, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) > idleAfter {
		for id, c := range s.clients {
			if now.Sub(c.lastSeen) > idleAfter {
				delete(s.clients, id)
			}
		}
		s.lastSweep = now
	}
	c, ok := s.clients[client]
	if !ok {
		c = &clientLimit{limiter: rate.NewLimiter(s.every, s.burst)}
		s.clients[client] = c
	}
	c.lastSeen = now
	return c.limiter.AllowN(now, 1), nil
}

// wait is how long the client must wait before its bucket holds a token again.
func (s *limiterStore) wait(client string) time.Duration {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[client]
	if !ok {
		return 0
	}
	missing := 1 - c.limiter.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(missing / float64(s.every) * float64(time.Second))
}
