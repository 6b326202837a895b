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
// message a person may see: a key of views' messages and its arguments (none for internal
// errors, whose details stay in the log, and for "not found", which needs no more words).
func statusOf(err error) (int, views.Message) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		var msg views.Message
		if he.Code < 500 && he.Code != http.StatusNotFound {
			switch m := he.Message.(type) {
			case views.Message:
				msg = m
			case string:
				if views.IsMessageKey(m) { // not Echo's own "Method Not Allowed" and the like
					msg = views.Message{Key: m}
				}
			}
		}
		return he.Code, msg
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return http.StatusNotFound, views.Message{}
	}
	var me *models.Error
	if errors.As(err, &me) {
		msg := views.Message{Key: me.Key, Args: me.Args}
		switch me.Kind {
		case models.KindNotFound:
			return http.StatusNotFound, views.Message{}
		case models.KindInvalid:
			return http.StatusUnprocessableEntity, msg
		case models.KindConflict:
			return http.StatusConflict, msg
		case models.KindForbidden:
			return http.StatusForbidden, msg
		case models.KindGone:
			return http.StatusGone, msg
		}
	}
	return http.StatusInternalServerError, views.Message{}
}

// errorHandler is the router's one HTTPErrorHandler: it renders the error page, in the request's
// language, with the right status, and logs only server errors, which are ours to fix.
func (h *Handler) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := statusOf(err)
	if status >= 500 {
		h.Log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "err", err)
	}
	if err := render(c, status, views.ErrorPage(views.ErrorProps{Status: status, Key: msg.Key, Args: msg.Args})); err != nil {
		h.Log.Error("render error page", "err", err)
	}
}
