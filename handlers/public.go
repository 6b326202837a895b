package handlers

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	xlanguage "golang.org/x/text/language"

	"charter/views"
)

// home shows the charter with the number of approved signatories per category and of countries.
// The figures come from the public pages' cache (see publiccache.go).
func (h *Handler) home(c echo.Context) error {
	// The answer depends on Accept-Language (the suggestion), so shared caches must keep one copy
	// per value; this one keeps one per suggestion.
	c.Response().Header().Add(echo.HeaderVary, "Accept-Language")
	suggest := suggestLanguage(c.Request())
	return h.serveVariant(c, "/", h.homeVariant(suggest), echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		f, err := h.figures(ctx)
		if err != nil {
			return err
		}
		growth, err := h.growth(ctx)
		if err != nil {
			return err
		}
		return views.HomePage(views.HomeProps{Charter: h.Charter.In(string(views.LangOf(ctx))), Counts: f.ByCategory,
			Countries: len(f.Countries), Suggest: suggest, ByCountry: f.Countries, Growth: growth, BaseURL: h.BaseURL}).Render(ctx, buf)
	})
}

// languageMatcher picks the site's language a browser prefers; English comes first, so it wins
// when the browser names none of the site's languages.
var languageMatcher = func() xlanguage.Matcher {
	tags := make([]xlanguage.Tag, len(views.Languages))
	for i, l := range views.Languages {
		tags[i] = l.Tag()
	}
	return xlanguage.NewMatcher(tags)
}()

// homeVariant is the variant of the home page in the public cache, for the language it suggests:
// the growth chart ends with the current month, so the page changes with the month too.
func (h *Handler) homeVariant(suggest views.Lang) string {
	variant := h.now().Format("2006-01")
	if suggest != "" {
		variant += "-" + string(suggest)
	}
	return variant
}

// suggestLanguage returns the language the browser prefers (Accept-Language) when it is another
// of the site's languages than the page's, or "". It only suggests: the visitor is never
// redirected, so every address always shows its own language.
func suggestLanguage(r *http.Request) views.Lang {
	accept := r.Header.Get("Accept-Language")
	if accept == "" || len(accept) > 1000 {
		return ""
	}
	tags, _, err := xlanguage.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return ""
	}
	_, i, conf := languageMatcher.Match(tags...)
	if conf == xlanguage.No {
		return ""
	}
	if l := views.Languages[i]; l != views.LangOf(r.Context()) {
		return l
	}
	return ""
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
