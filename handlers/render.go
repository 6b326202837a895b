package handlers

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"charter/views"
)

// render writes a templ component as an HTML response with the given status. The page is
// rendered into a buffer first, so that a render error reaches the error handler (which logs it
// and answers 500) before any status or byte has gone out.
func render(c echo.Context, status int, page templ.Component) error {
	var buf bytes.Buffer
	if err := page.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// redirect answers a successful POST: 303 See Other, so the browser follows with a GET. A path of
// the site stays in the request's language (views.Href).
func redirect(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, views.Href(c.Request().Context(), to))
}
