package handlers

import (
	"net/http"
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
// The counters live in memory: losing them on a restart is harmless.
func (h *Handler) limit(every time.Duration, burst int) echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate:      rate.Every(every),
		Burst:     burst,
		ExpiresIn: 30 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return c.RealIP(), nil
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "60")
			return echo.NewHTTPError(http.StatusTooManyRequests)
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return echo.NewHTTPError(http.StatusTooManyRequests)
		},
	})
}
