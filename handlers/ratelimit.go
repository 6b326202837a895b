package handlers

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"charter/models"
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

// limit is a per-client rate limit on a group of routes: on average one request every `every`,
// with bursts of `burst`. A client is an IPv4 address or an IPv6 /64 (clientKey). The allowance
// lives in the database (models.TakeRequest), so a client spread over several instances meets
// one limit, and a restart does not refill it.
func (h *Handler) limit(name string, every time.Duration, burst int) echo.MiddlewareFunc {
	rule := models.RequestRule{Name: name, Every: every, Burst: burst}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok, wait, err := h.Store.TakeRequest(c.Request().Context(), rule, clientKey(c.RealIP()))
			if err != nil {
				return err
			}
			if !ok {
				setRetryAfter(c, wait)
				return echo.NewHTTPError(http.StatusTooManyRequests)
			}
			return next(c)
		}
	}
}

// setRetryAfter tells the client how long to wait, in whole seconds rounded up: never too early.
func setRetryAfter(c echo.Context, d time.Duration) {
	secs := int64(math.Ceil(d.Seconds()))
	c.Response().Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
}
