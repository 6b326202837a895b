package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Router builds the Echo router with every route of the application. Reading this function tells
// the whole surface of the site.
func (h *Handler) Router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = h.errorHandler
	e.Use(
		h.requestLogger(),
		middleware.Recover(),
		h.secureHeaders(),
		middleware.BodyLimit(maxFormBody),
		h.csrf(),
	)

	// Public pages: read-only.
	e.GET("/", h.home)
	e.GET("/healthz", h.healthz)
	e.GET("/assets/:name", h.asset)

	// The public directory and its open data.
	e.GET("/signatories", h.listSignatories)
	e.GET("/signatories/:slug", h.showSignatory)
	e.GET("/signatories/:slug/badge.svg", h.badge)
	e.GET("/signatories.csv", h.signatoriesCSV)
	e.GET("/signatories.json", h.signatoriesJSON)
	e.GET("/feed.atom", h.feed)
	if h.BenchStatic {
		e.GET("/bench/static", h.benchStatic())
	}

	// Anything else is not found, whatever the method.
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
	return e
}
