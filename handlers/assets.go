package handlers

import (
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"charter/assets"
)

// assetCacheControl: an asset's name changes whenever its content does, so the response may be
// cached for a year.
const assetCacheControl = "public, max-age=31536000, immutable"

// assetCache keeps each asset with its compressed forms, made once on first use. Its zero value
// is ready.
type assetCache struct {
	bodies sync.Map // hashed name -> *encodedBody
}

// asset serves an embedded file under its content-hashed name, compressed when the client takes
// it and the file is text.
func (h *Handler) asset(c echo.Context) error {
	name := c.Param("name")
	f, ok := assets.Lookup(name)
	if !ok {
		return echo.ErrNotFound
	}
	b, ok := h.assets.bodies.Load(name)
	if !ok {
		contentType := mime.TypeByExtension(path.Ext(f.Name))
		// The hash in the name is the content's: it is the entity tag too.
		tag := `"` + strings.TrimSuffix(strings.TrimPrefix(name, strings.TrimSuffix(f.Name, path.Ext(f.Name))+"."), path.Ext(f.Name)) + `"`
		b, _ = h.assets.bodies.LoadOrStore(name, newEncodedBody(f.Body, compressible(contentType), tag, contentType, assetCacheControl))
	}
	return sendEncoded(c, b.(*encodedBody))
}

// compressible reports whether a content type is text, which compresses; images such as PNG or
// fonts such as WOFF2 are compressed already.
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	return strings.HasPrefix(ct, "text/") || strings.HasSuffix(ct, "+xml") || strings.HasSuffix(ct, "/xml") ||
		strings.HasSuffix(ct, "json") || strings.HasSuffix(ct, "javascript")
}
