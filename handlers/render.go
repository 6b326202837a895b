package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component as an HTML response with the given status.
func render(c echo.Context, status int, page templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return page.Render(c.Request().Context(), c.Response())
}

// redirect answers a successful POST: 303 See Other, so the browser follows with a GET.
func redirect(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, to)
}
