package handlers

import (
	"bytes"
	"context"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// memorandum shows a signatory's memorandum of accession, a page to print on one A4 sheet, in the
// page's language; its QR code leads to the signatory's public page in that language. A withdrawn
// or revoked signatory's memorandum says it is no longer a signatory; any other is not found. It is
// a public page like the signatory's own, cached until the next public change.
func (h *Handler) memorandum(c echo.Context) error {
	slug := c.Param("slug")
	if slug == "" || len(slug) > maxSlugLength {
		return models.ErrNotFound
	}
	return h.servePublic(c, views.MemorandumURL(slug), echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		s, err := h.Store.PublicSignatoryBySlug(ctx, slug)
		if err != nil {
			return err
		}
		return views.MemorandumPage(views.MemorandumProps{
			Signatory: *s,
			PageURL:   h.BaseURL + views.Href(ctx, views.SignatoryURL(s.Slug)),
		}).Render(ctx, buf)
	})
}
