package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"charter/views"
)

// language serves every public page in each language of the site: English at its own address,
// another language under /CODE/ (/ru/signatories). It takes the prefix off the path before the
// router sees it, so one route serves every language, and puts the language in the request's
// context for the views (views.LangOf) and for redirects (views.Href), with the address the page
// has in every language (views.PathOf).
func language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		lang := views.English
		for _, l := range views.Languages[1:] {
			prefix := "/" + string(l)
			if r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/") {
				continue
			}
			if r.URL.Path == prefix {
				return c.Redirect(http.StatusMovedPermanently, prefix+"/")
			}
			rest := strings.TrimPrefix(r.URL.Path, prefix)
			if !views.Localized(rest) {
				return echo.NewHTTPError(http.StatusNotFound) // /ru/admin, /ru/assets/…: one address only
			}
			lang = l
			r.URL.Path = rest
			r.URL.RawPath = ""
			break
		}
		// The page's address without the prefix, for the links to it in the other languages.
		c.SetRequest(r.WithContext(views.WithPage(r.Context(), lang, r.URL.RequestURI())))
		return next(c)
	}
}
