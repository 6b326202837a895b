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
	e.IPExtractor = h.ipExtractor()
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

	// Anything else is not found, whatever the method.
	e.RouteNotFound("/*", func(c echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
	return e
}
