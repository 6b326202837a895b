package handlers

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"

	"charter/assets"
)

// asset serves an embedded file under its content-hashed name. The name changes whenever the
// content does, so the response may be cached for a year.
func (h *Handler) asset(c echo.Context) error {
	f, ok := assets.Lookup(c.Param("name"))
	if !ok {
		return echo.ErrNotFound
	}
	hdr := c.Response().Header()
	hdr.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	hdr.Set(echo.HeaderContentType, mime.TypeByExtension(path.Ext(f.Name)))
	http.ServeContent(c.Response(), c.Request(), f.Name, time.Time{}, bytes.NewReader(f.Body))
	return nil
}
