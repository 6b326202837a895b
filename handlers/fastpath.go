package handlers

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"charter/views"
)

// Most public traffic asks for a page the public cache already holds. Through the router, such a
// request costs more in Echo's context, routing and middleware chain than in sending the bytes.
// The fast path answers it before the router: it finds the page's cache key as the page's
// handler would, and when the cache holds the page it sends it with the headers the router would
// send (the security headers of secureHeaders, then those of encodedHeaders, which sendEncoded
// uses too) and writes the request's line as requestLogger would. Everything else, a miss
// included, goes to the router unchanged: a miss is rendered and cached there, and the next
// request is a hit. fastpath_test.go checks, URL by URL, that both answer byte for byte alike.

// App is the application's http.Handler, as main serves it: the router (Router), with the
// public cache's hits answered before it.
func (h *Handler) App() http.Handler {
	return h.FastPath(h.Router())
}

// FastPath returns a handler that answers the public cache's hits itself and passes every other
// request to router, which must be h.Router()'s (its security headers are the ones sent).
func (h *Handler) FastPath(router http.Handler) http.Handler {
	return &fastPath{h: h, router: router, security: h.security, log: h.requestLogHandler()}
}

type fastPath struct {
	h        *Handler
	router   http.Handler
	security []fixedHeader
	log      slog.Handler
}

func (f *fastPath) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.serveCached(w, r) {
		f.router.ServeHTTP(w, r)
	}
}

// varyAcceptLanguage is the Vary value the home page adds (home), before Accept-Encoding.
var varyAcceptLanguage = headerValue("Accept-Language")

// cacheHit is a request the public cache can answer.
type cacheHit struct {
	body *encodedBody
	vary []string // set before the encoding's Vary, or nil
	path string   // logged: the path without its language prefix, as the router logs it
}

// serveCached answers r from the public cache and reports whether it did. A panic before the
// status is sent leaves the request to the router, whose Recover answers with the error page if
// it panics again.
func (f *fastPath) serveCached(w http.ResponseWriter, r *http.Request) (served bool) {
	start := time.Now()
	var hit cacheHit
	sent := 0
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v) // as Recover does: net/http ends the connection quietly
		}
		f.h.Log.Error("fast path panicked", "path", hit.path, "panic", v)
		if sent == 0 {
			clear(w.Header()) // the router starts afresh
			served = false
			return
		}
		logRequest(f.log, start, http.MethodGet, hit.path, sent)
		served = true
	}()
	hit, ok := f.h.lookupCached(r)
	if !ok {
		return false
	}
	hdr := w.Header()
	setHeaders(hdr, f.security)
	if hit.vary != nil {
		hdr[echo.HeaderVary] = hit.vary
	}
	status, rep := encodedHeaders(hdr, r, hit.body)
	sent = status
	w.WriteHeader(status)
	if status == http.StatusOK && r.Method != http.MethodHead {
		w.Write(rep.body)
	}
	// The router logs a HEAD as the GET it answers it as (headAsGet).
	logRequest(f.log, start, http.MethodGet, hit.path, status)
	return true
}

// lookupCached returns the cached page that the router would answer r with, if r is a plain GET
// or HEAD of a public page and the cache holds the page. It finds the cache key with the
// handlers' own functions, and takes nothing unusual: a request with a body, an escaped path, a
// query the page refuses, an address the router redirects or refuses all go to the router.
func (h *Handler) lookupCached(r *http.Request) (cacheHit, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return cacheHit{}, false
	}
	if r.ContentLength != 0 || (r.Body != nil && r.Body != http.NoBody) || r.URL.RawPath != "" {
		return cacheHit{}, false
	}
	// The language, as the language middleware finds it.
	path, lang := r.URL.Path, views.English
	for _, l := range views.Languages[1:] {
		if len(path) > len(l)+1 && path[0] == '/' && path[1:len(l)+1] == string(l) && path[len(l)+1] == '/' {
			path, lang = path[len(l)+1:], l // "/ru/signatories": "/signatories"
			break
		}
	}
	if lang != views.English && !views.Localized(path) {
		return cacheHit{}, false
	}

	// The page's cache key, as its handler finds it (routes.go).
	key := pageKey{lang: lang}
	hit := cacheHit{path: path}
	switch {
	case path == "/":
		// home
		ctx := views.WithPage(r.Context(), lang, path)
		key.url, key.variant = "/", h.homeVariant(suggestLanguage(r.WithContext(ctx)))
		hit.vary = varyAcceptLanguage
	case path == "/signatories":
		// listSignatories
		var query url.Values // none: as an empty one, without making it
		if r.URL.RawQuery != "" {
			query = r.URL.Query()
		}
		q, err := parseDirectoryQuery(query)
		if err != nil {
			return cacheHit{}, false
		}
		key.url = views.ListURL(q)
	case path == "/feed.atom":
		// feed
		key.url = path
	case strings.HasPrefix(path, "/assets/"):
		// asset: one address, in no language
		name := path[len("/assets/"):]
		if lang != views.English || name == "" || strings.Contains(name, "/") {
			return cacheHit{}, false
		}
		b, ok := h.assets.bodies.Load(name)
		if !ok {
			return cacheHit{}, false
		}
		hit.body = b.(*encodedBody)
		return hit, true
	case strings.HasPrefix(path, "/signatories/"):
		slug := path[len("/signatories/"):]
		badge := false
		if s, ok := strings.CutSuffix(slug, "/badge.svg"); ok {
			slug, badge = s, true
		}
		if slug == "" || len(slug) > maxSlugLength || strings.Contains(slug, "/") {
			return cacheHit{}, false
		}
		key.url = path
		if badge && r.URL.RawQuery != "" {
			// badge: ?lang= chooses the language
			if code := r.URL.Query().Get("lang"); code != "" {
				l, ok := views.ParseLang(code)
				if !ok {
					return cacheHit{}, false
				}
				key.lang = l
			}
		}
	default:
		return cacheHit{}, false
	}

	st, _, err := h.publicState(r.Context())
	if err != nil {
		return cacheHit{}, false
	}
	body, ok := h.public.get(st, key)
	if !ok {
		return cacheHit{}, false
	}
	hit.body = body
	return hit, true
}
