package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// failedMailShown bounds the failed-mail page; more than this many failures at once means the
// mail server itself is wrong, which the log tells.
const failedMailShown = 200

// failedMail lists the mail delivery was given up on, with a button to send each again.
func (h *Handler) failedMail(c echo.Context) error {
	rows, err := h.Store.FailedMail(c.Request().Context(), failedMailShown)
	if err != nil {
		return err
	}
	ch, err := h.chrome(c, "mail")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.FailedMailPage(views.FailedMailProps{Chrome: ch, Rows: rows}))
}

// retryMail makes a failed message due again; the audit log records who asked.
func (h *Handler) retryMail(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f := models.NewFlash("admin.flash.mail_resent")
	switch err := h.Store.RetryMail(c.Request().Context(), id, signedIn(c).Admin.ID); {
	case errors.Is(err, models.ErrMailNotFailed):
		f = models.NewFlash("admin.flash.mail_not_failed")
	case err != nil:
		return err
	default:
		h.Log.Info("failed mail queued again", "id", id, "admin", signedIn(c).Admin.ID)
		h.wakeMailer()
	}
	if err := h.flash(c, f); err != nil {
		return err
	}
	return redirect(c, "/admin/mail")
}
