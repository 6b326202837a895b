package handlers

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// A page that fails half-way through rendering must not go out with the status meant for a good
// page: the error reaches the error handler, which logs it and answers 500 with the error page.
func TestRenderErrorIsLoggedAndAnswered500(t *testing.T) {
	var logs strings.Builder
	h := &Handler{Log: slog.New(slog.NewTextHandler(&logs, nil))}
	e := echo.New()
	e.HTTPErrorHandler = h.errorHandler
	broken := templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		io.WriteString(w, "<p>half a page")
		return errors.New("the template broke")
	})
	e.GET("/broken", func(c echo.Context) error { return render(c, http.StatusOK, broken) })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/broken", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "half a page") {
		t.Error("the half-rendered page was sent")
	}
	if !strings.Contains(logs.String(), "the template broke") {
		t.Errorf("the render error was not logged; log:\n%s", logs.String())
	}
}
