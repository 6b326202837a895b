package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"charter/handlers"
	"charter/models"
	"charter/models/dbtest"
)

// app is the whole application wired as main wires it, on a fresh database, with a browser-like
// client that keeps cookies between requests.
type app struct {
	t       *testing.T
	h       *handlers.Handler
	store   *models.Store
	router  *echo.Echo
	logs    *dbtest.LogBuffer
	cookies map[string]*http.Cookie
	clock   *dbtest.Clock // the clock of the store and the handlers, moved by the test
	dbPath  string        // the database (file or URL), to open it again as a restarted process would
}

// notifyAdmins is the option of newApp that has administrators told of new applications, as
// main sets it by default.
func notifyAdmins(h *handlers.Handler) { h.NotifyAdmins = true }

// newApp builds the app; each option changes the handler before its router is made.
func newApp(t *testing.T, options ...func(*handlers.Handler)) *app {
	t.Helper()
	source, err := os.ReadFile("../charter.md")
	if err != nil {
		t.Fatal(err)
	}
	russian, err := os.ReadFile("../charter.ru.md")
	if err != nil {
		t.Fatal(err)
	}
	charter, err := models.NewCharter(source, map[string][]byte{"ru": russian})
	if err != nil {
		t.Fatal(err)
	}
	clock := dbtest.NewClock(time.Now().UTC().Truncate(time.Second))
	path := dbtest.NewDSN(t)
	store := dbtest.Open(t, path, clock.Now)
	logs := &dbtest.LogBuffer{}
	h := &handlers.Handler{
		Store:   store,
		Log:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Charter: charter,
		BaseURL: "http://charter.test",
		Now:     clock.Now,
	}
	for _, o := range options {
		o(h)
	}
	return &app{t: t, h: h, store: store, router: h.Router(), logs: logs, cookies: map[string]*http.Cookie{}, clock: clock, dbPath: path}
}

// do sends a request through the fast path and the router as a browser would, with the cookies it was given; a
// form is sent as from a page of this site (Sec-Fetch-Site: same-origin).
func (a *app) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	a.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for _, c := range a.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	a.h.FastPath(a.router).ServeHTTP(rec, req) // as main serves it (Handler.App)
	for _, c := range rec.Result().Cookies() {
		a.cookies[c.Name] = c
	}
	return rec
}

func (a *app) get(target string) *httptest.ResponseRecorder { return a.do(http.MethodGet, target, nil) }

// doc parses an HTML response.
func doc(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
