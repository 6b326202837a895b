package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// maxSearchLength bounds what is read of a search; longer input is cut, not refused.
const maxSearchLength = 200

// parseDirectoryQuery reads the list's GET parameters. A search is trimmed and cut to a sane
// length (its words are folded only when the page is rendered: a cached page needs no folding);
// an unknown category, country, order or page is a 400 with a sentence saying what to do, never
// a 500. Unknown parameters are ignored.
func parseDirectoryQuery(v url.Values) (models.DirectoryQuery, error) {
	q := models.DirectoryQuery{Sort: models.SortNewest, Page: 1}
	q.Q = strings.Join(strings.Fields(strings.ToValidUTF8(v.Get("q"), "")), " ")
	if utf8.RuneCountInString(q.Q) > maxSearchLength {
		q.Q = string([]rune(q.Q)[:maxSearchLength])
	}
	if c := models.Category(strings.TrimSpace(v.Get("category"))); c != "" {
		if !c.Valid() {
			return q, echo.NewHTTPError(http.StatusBadRequest, "list.bad_category")
		}
		q.Category = c
	}
	if c := strings.ToUpper(strings.TrimSpace(v.Get("country"))); c != "" {
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return q, echo.NewHTTPError(http.StatusBadRequest, "list.bad_country")
		}
		q.Country = c
	}
	switch s := strings.TrimSpace(v.Get("sort")); s {
	case "", models.SortNewest:
	case models.SortName:
		q.Sort = models.SortName
	default:
		return q, echo.NewHTTPError(http.StatusBadRequest, "list.bad_sort")
	}
	if p := strings.TrimSpace(v.Get("page")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return q, echo.NewHTTPError(http.StatusBadRequest, "list.bad_page")
		}
		if n > models.DirectoryMaxPage {
			return q, echo.NewHTTPError(http.StatusBadRequest, views.Msg("list.too_deep", "Max", models.DirectoryMaxPage))
		}
		q.Page = n
	}
	return q, nil
}

// listSignatories shows the public list: a search, filters, counts and one page of signatories.
// Pages are cached by their normalised URL until the next public change.
func (h *Handler) listSignatories(c echo.Context) error {
	q, err := parseDirectoryQuery(c.QueryParams())
	if err != nil {
		return err
	}
	return h.servePublic(c, views.ListURL(q), echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		return h.renderList(ctx, buf, q)
	})
}

func (h *Handler) renderList(ctx context.Context, buf *bytes.Buffer, q models.DirectoryQuery) error {
	if q.Q != "" {
		q.Words = models.SearchWords(q.Q)
		if len(q.Words) == 0 {
			q.Q = "" // only punctuation: nothing to search for
		}
	}
	result, err := h.Store.ListDirectory(ctx, q)
	if err != nil {
		return err
	}
	f, err := h.figures(ctx)
	if err != nil {
		return err
	}
	p := views.DirectoryProps{Query: q, Result: result, Countries: views.DirectoryCountries(ctx, f.Countries), BaseURL: h.BaseURL}
	if q.Q == "" && q.Category == "" && q.Country == "" && q.Page <= 1 { // the whole list's first page shows the map
		p.ByCountry = f.Countries
	}
	return views.DirectoryPage(p).Render(ctx, buf)
}

// maxSlugLength bounds the slugs looked up; no stored slug is longer.
const maxSlugLength = 200

// showSignatory shows one signatory's public page. A withdrawn or revoked one shows a dated
// notice instead of its details; one that was never approved does not exist for the public.
func (h *Handler) showSignatory(c echo.Context) error {
	slug := c.Param("slug")
	if slug == "" || len(slug) > maxSlugLength {
		return models.ErrNotFound
	}
	return h.servePublic(c, "/signatories/"+slug, echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		s, err := h.Store.PublicSignatoryBySlug(ctx, slug)
		if err != nil {
			return err
		}
		versions, err := h.Store.CharterVersions(ctx)
		if err != nil {
			return err
		}
		entries, err := h.Store.SignatoryLogEntries(ctx, s.ID)
		if err != nil {
			return err
		}
		former, err := h.Store.FormerNames(ctx, s.ID)
		if err != nil {
			return err
		}
		return views.SignatoryPage(views.SignatoryProps{Signatory: *s, Versions: versions, BaseURL: h.BaseURL,
			LogEntries: entries, FormerNames: former}).Render(ctx, buf)
	})
}

// badge serves the SVG badge of a signatory, in English or, with ?lang=ru, in Russian (the badge
// keeps one address, which organisations embed). Once the signature is withdrawn or revoked, the
// badge says so instead of claiming it.
func (h *Handler) badge(c echo.Context) error {
	slug := c.Param("slug")
	if slug == "" || len(slug) > maxSlugLength {
		return models.ErrNotFound
	}
	if code := c.QueryParam("lang"); code != "" {
		l, ok := views.ParseLang(code)
		if !ok {
			return echo.NewHTTPError(http.StatusBadRequest, "list.bad_lang")
		}
		r := c.Request()
		c.SetRequest(r.WithContext(views.WithLang(r.Context(), l)))
	}
	return h.servePublic(c, "/signatories/"+slug+"/badge.svg", "image/svg+xml; charset=utf-8", func(ctx context.Context, buf *bytes.Buffer) error {
		s, err := h.Store.PublicSignatoryBySlug(ctx, slug)
		if err != nil {
			return err
		}
		p := views.BadgeProps{Name: s.Name, Signed: s.Public(), Date: s.ApprovedAt}
		if at := s.EndedAt(); at != nil {
			p.Date = *at
		}
		return views.WriteBadge(ctx, buf, p)
	})
}

// benchStatic serves the bytes of the first page of /signatories from memory, without asking the
// database: the ceiling the real list is measured against (see .ci/bench-directory.sh). It is
// routed only when Handler.BenchStatic is set.
func (h *Handler) benchStatic() echo.HandlerFunc {
	var once sync.Once
	var body []byte
	var err error
	return func(c echo.Context) error {
		once.Do(func() {
			var buf bytes.Buffer
			q, _ := parseDirectoryQuery(url.Values{})
			err = h.renderList(c.Request().Context(), &buf, q)
			body = buf.Bytes()
		})
		if err != nil {
			return err
		}
		return c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, body)
	}
}
