package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

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
	logs    *syncBuffer
	cookies map[string]*http.Cookie
	clock   *testClock // the clock of the store and the handlers, moved by the test
	dbPath  string     // the database file, to open it again as a restarted process would
}

// syncBuffer collects log output from concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newApp(t *testing.T) *app {
	t.Helper()
	source, err := os.ReadFile("../charter.md")
	if err != nil {
		t.Fatal(err)
	}
	charter, err := models.NewCharter(source)
	if err != nil {
		t.Fatal(err)
	}
	clock := newClock()
	path := filepath.Join(t.TempDir(), "charter.db")
	store := dbtest.Open(t, path, clock.Now)
	logs := &syncBuffer{}
	h := &handlers.Handler{
		Store:   store,
		Log:     slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Charter: charter,
		BaseURL: "http://charter.test",
		Now:     clock.Now,
	}
	return &app{t: t, h: h, store: store, router: h.Router(), logs: logs, cookies: map[string]*http.Cookie{}, clock: clock, dbPath: path}
}

// do sends a request through the router as a browser would, with the cookies it was given; a
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
	a.router.ServeHTTP(rec, req)
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
