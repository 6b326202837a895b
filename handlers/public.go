package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"charter/views"
)

// home shows the charter with the number of approved signatories per category and of countries.
// The figures come from the public pages' cache (see publiccache.go).
func (h *Handler) home(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.figures(ctx)
	if err != nil {
		return err
	}
	charter := h.Charter.In(string(views.LangOf(ctx))) // the text in the page's language
	return render(c, http.StatusOK, views.HomePage(views.HomeProps{Charter: charter, Counts: f.ByCategory,
		Countries: len(f.Countries)}))
}

// healthStatus is the body of /healthz.
type healthStatus struct {
	Status   string `json:"status"`
	Database string `json:"database"`
}

// healthz tells a load balancer or monitor whether the process is up and its database answers.
func (h *Handler) healthz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	if err := h.Store.Ping(ctx); err != nil {
		h.Log.Error("health check: database does not answer", "err", err)
		return c.JSON(http.StatusServiceUnavailable, healthStatus{Status: "unavailable", Database: "unreachable"})
	}
	return c.JSON(http.StatusOK, healthStatus{Status: "ok", Database: "ok"})
}
