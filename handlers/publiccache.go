package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// publicCacheSize bounds the number of rendered public pages kept in memory (a list page is
// about 10 KiB, so at most a few tens of MiB).
const publicCacheSize = 2000

// publicCache keeps rendered public pages and the home page figures for the current public state.
// The state's version is bumped by database triggers whenever a signatory that is, was or becomes
// public changes, whoever changes it; a new version empties the cache. Its zero value is ready.
type publicCache struct {
	// read is the last reading of the state, for requests to take without the lock.
	read atomic.Pointer[stateReading]

	mu      sync.Mutex
	state   models.PublicState
	etag    string // of state
	pages   map[pageKey]*encodedBody
	order   []pageKey // keys in the order they were added, to evict the oldest
	figures *models.DirectoryFigures
}

// pageKey identifies a cached page: each language and each variant has its own copy.
type pageKey struct {
	lang    views.Lang
	url     string // normalised
	variant string
}

// stateReading is the public state as read from the database at a time, with its ETag.
type stateReading struct {
	state models.PublicState
	etag  string
	at    time.Time
}

// publicState returns the current public state and its ETag. It asks the database at most once
// per PublicStateMaxAge; with 0, on every call.
func (h *Handler) publicState(ctx context.Context) (models.PublicState, string, error) {
	pc := &h.public
	if r := pc.read.Load(); r != nil && h.PublicStateMaxAge > 0 && time.Since(r.at) < h.PublicStateMaxAge {
		return r.state, r.etag, nil
	}
	st, err := h.Store.PublicState(ctx)
	if err != nil {
		return st, "", err
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if st != pc.state {
		pc.state, pc.etag, pc.pages, pc.order, pc.figures = st, etag(st), nil, nil, nil
	}
	pc.read.Store(&stateReading{state: st, etag: pc.etag, at: time.Now()})
	return st, pc.etag, nil
}

// get returns the page cached under key for state st, if any.
func (pc *publicCache) get(st models.PublicState, key pageKey) (*encodedBody, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if st != pc.state {
		return nil, false
	}
	b, ok := pc.pages[key]
	return b, ok
}

// put keeps a page rendered for state st, evicting the oldest pages beyond publicCacheSize, and
// returns the page kept under key: body, or the one another request rendered first, so that
// both share one set of compressed forms.
func (pc *publicCache) put(st models.PublicState, key pageKey, body *encodedBody) *encodedBody {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if st != pc.state {
		return body // the state moved on while this page was rendered
	}
	if pc.pages == nil {
		pc.pages = make(map[pageKey]*encodedBody)
	}
	if b, ok := pc.pages[key]; ok {
		return b
	}
	if len(pc.order) >= publicCacheSize {
		delete(pc.pages, pc.order[0])
		pc.order = pc.order[1:]
	}
	pc.pages[key] = body
	pc.order = append(pc.order, key)
	return body
}

// etag is the entity tag of every public response in state st: the responses change only when
// the state does. It is weak because the same state may be rendered with different bytes by
// another version of the program.
func etag(st models.PublicState) string {
	return fmt.Sprintf(`W/"%s-%d"`, st.Epoch, st.Version)
}

// notModified sets the caching headers of a public download (the open data) and reports whether
// the client's copy is current (If-None-Match), in which case it has answered 304 Not Modified.
func (h *Handler) notModified(c echo.Context, tag string) bool {
	hdr := c.Response().Header()
	hdr.Set("ETag", tag)
	hdr.Set(echo.HeaderCacheControl, h.publicCC)
	inm := c.Request().Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == strings.TrimPrefix(tag, "W/") {
			c.Response().WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// etagMatches reports whether an If-None-Match header names tag (weak comparison, RFC 9110 13.1.2).
func etagMatches(inm, tag string) bool {
	if inm == "" {
		return false
	}
	tag = strings.TrimPrefix(tag, "W/")
	for t := range strings.SplitSeq(inm, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// withSuffix adds a suffix to an entity tag: `W/"x"` becomes `W/"x-suffix"`.
func withSuffix(tag, suffix string) string {
	if suffix == "" || !strings.HasSuffix(tag, `"`) {
		return tag
	}
	return tag[:len(tag)-1] + "-" + suffix + `"`
}

// publicCacheControl is the Cache-Control of public pages for a max-age: browsers and shared
// caches (a CDN, nginx) may reuse a page for that long, and a cache may then answer with the
// stale copy once more while it asks again. Zero: caches must ask every time (and usually get
// 304 Not Modified).
func publicCacheControl(maxAge time.Duration) string {
	if maxAge <= 0 {
		return "public, no-cache"
	}
	n := strconv.FormatInt(int64((maxAge+time.Second-1)/time.Second), 10)
	return "public, max-age=" + n + ", s-maxage=" + n + ", stale-while-revalidate=" + n
}

// servePublic answers a GET for a public page whose content depends only on the public state and
// the request's language: the cached bytes, else render (writing into a buffer), keep and send
// them; 304 when the client has them. url identifies the page (its normalised URL).
func (h *Handler) servePublic(c echo.Context, url, contentType string, render func(ctx context.Context, buf *bytes.Buffer) error) error {
	return h.serveVariant(c, url, "", contentType, render)
}

// serveVariant is servePublic for a page with variants at one address (the home page's
// suggestion of another language): each variant has its own copy and its own entity tag.
func (h *Handler) serveVariant(c echo.Context, url, variant, contentType string, render func(ctx context.Context, buf *bytes.Buffer) error) error {
	ctx := c.Request().Context()
	st, tag, err := h.publicState(ctx)
	if err != nil {
		return err
	}
	key := pageKey{views.LangOf(ctx), url, variant}
	body, ok := h.public.get(st, key)
	if !ok {
		var buf bytes.Buffer
		if err := render(ctx, &buf); err != nil {
			return err // an error page is not the page the ETag names, and is not cached
		}
		body = h.public.put(st, key, newEncodedBody(buf.Bytes(), true, withSuffix(tag, variant), contentType, h.publicCC))
	}
	return sendEncoded(c, body)
}

// varyAcceptEncoding is the Vary value of a response whose encoding is negotiated.
var varyAcceptEncoding = headerValue(echo.HeaderAcceptEncoding)

// sendEncoded answers 200 with body in the encoding the client prefers, with its length, or 304
// when the client's copy is current.
func sendEncoded(c echo.Context, body *encodedBody) error {
	status, r := encodedHeaders(c.Response().Header(), c.Request(), body)
	c.Response().WriteHeader(status)
	if status == http.StatusNotModified {
		return nil
	}
	_, err := c.Response().Write(r.body)
	return err
}

// encodedHeaders sets the headers of the answer to req with body, and returns its status and the
// representation to send: 200 with body in the encoding the client prefers, with its length, or
// 304 when the client's copy is current. The entity tag names the encoding (`W/"…-br"`), so a
// cache that keeps one copy per encoding revalidates each. The headers are the body's own
// values. The router (sendEncoded) and the fast path (fastpath.go) both answer through it.
func encodedHeaders(hdr http.Header, req *http.Request, body *encodedBody) (int, *representation) {
	r := body.in(negotiate(req.Header.Get(echo.HeaderAcceptEncoding)))
	if body.compressible {
		if v := hdr[echo.HeaderVary]; len(v) > 0 {
			hdr[echo.HeaderVary] = append(v[:len(v):len(v)], echo.HeaderAcceptEncoding)
		} else {
			hdr[echo.HeaderVary] = varyAcceptEncoding
		}
	}
	if r.contentEncoding != nil {
		hdr[echo.HeaderContentEncoding] = r.contentEncoding
	}
	hdr["Etag"] = r.etag
	hdr[echo.HeaderCacheControl] = r.cacheControl
	if etagMatches(req.Header.Get("If-None-Match"), r.tag) {
		return http.StatusNotModified, r
	}
	hdr[echo.HeaderContentType] = r.contentType
	hdr[echo.HeaderContentLength] = r.contentLength
	return http.StatusOK, r
}

// figures returns the home page and filter figures for the current public state, from the cache
// when it has them.
func (h *Handler) figures(ctx context.Context) (models.DirectoryFigures, error) {
	st, _, err := h.publicState(ctx)
	if err != nil {
		return models.DirectoryFigures{}, err
	}
	pc := &h.public
	pc.mu.Lock()
	if f := pc.figures; f != nil && st == pc.state {
		pc.mu.Unlock()
		return *f, nil
	}
	pc.mu.Unlock()
	f, err := h.Store.Figures(ctx)
	if err != nil {
		return f, err
	}
	pc.mu.Lock()
	if st == pc.state {
		pc.figures = &f
	}
	pc.mu.Unlock()
	return f, nil
}
