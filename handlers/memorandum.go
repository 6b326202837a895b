package handlers

import (
	"bytes"
	"context"
	"fmt"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/publiclog"
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
		versions, err := h.Store.CharterVersions(ctx)
		if err != nil {
			return err
		}
		entries, err := h.Store.SignatoryLogEntries(ctx, s.ID)
		if err != nil {
			return err
		}
		p := views.MemorandumProps{
			Signatory: *s,
			PageURL:   h.BaseURL + views.Href(ctx, views.SignatoryURL(s.Slug)),
			Versions:  versions,
		}
		// The approval that put it on the list: the last one, should it have been approved again.
		for i := range entries {
			if entries[i].Event == publiclog.EventApproved {
				p.LogEntry = &entries[i]
			}
		}
		if p.LogEntry != nil {
			p.LogEntryURL = fmt.Sprintf("%s/log/entries?start=%d&end=%d", h.BaseURL, p.LogEntry.Idx, p.LogEntry.Idx+1)
		}
		return views.MemorandumPage(p).Render(ctx, buf)
	})
}
