package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"charter/models"
	"charter/views"
)

// statusOf maps an error from anywhere below the router to the HTTP status it deserves, and the
// message a person may see (empty for internal errors, whose details stay in the log).
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := ""
		if he.Code < 500 {
			if s, ok := he.Message.(string); ok && he.Code != http.StatusNotFound {
				msg = s
			}
		}
		return he.Code, msg
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return http.StatusNotFound, ""
	}
	var me *models.Error
	if errors.As(err, &me) {
		switch me.Kind {
		case models.KindNotFound:
			return http.StatusNotFound, ""
		case models.KindInvalid:
			return http.StatusUnprocessableEntity, me.Message
		case models.KindConflict:
			return http.StatusConflict, me.Message
		case models.KindForbidden:
			return http.StatusForbidden, me.Message
		case models.KindGone:
			return http.StatusGone, me.Message
		}
	}
	return http.StatusInternalServerError, ""
}

// errorHandler is the router's one HTTPErrorHandler: it renders the error page with the right
// status and logs only server errors, which are ours to fix.
func (h *Handler) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := statusOf(err)
	if status >= 500 {
		h.Log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "err", err)
	}
	if err := render(c, status, views.ErrorPage(views.ErrorProps{Status: status, Message: msg})); err != nil {
		h.Log.Error("render error page", "err", err)
	}
}
