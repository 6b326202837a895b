package handlers

import (
	"context"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// emailPage is a page whose form asks only for an email address.
type emailPage func(views.EmailFormProps) templ.Component

// showEmailForm shows an empty email-only form, with its guard stamp.
func (h *Handler) showEmailForm(c echo.Context, page emailPage) error {
	stamp, err := h.formStamp(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, page(views.EmailFormProps{Stamp: stamp}))
}

// sendEmailForm handles an email-only form that mails a link: with a valid address it runs mailLink
// and redirects to sent, whatever mailLink found, so the answer never tells who has signed.
func (h *Handler) sendEmailForm(c echo.Context, page emailPage,
	mailLink func(context.Context, string, models.Letters) error, sent string) error {
	stamp, refused, err := h.guardForm(c)
	if err != nil {
		return err
	}
	raw := c.FormValue("email")
	var errs views.FieldErrors
	email, _, problem := models.EmailAnswer(raw)
	if problem != "" {
		errs.Add("email", views.FieldMessage(models.FieldError{Field: models.FieldContactEmail, Problem: problem}))
	}
	if !refused.None() {
		errs.Prepend(refused)
	}
	if len(errs) > 0 {
		return render(c, http.StatusUnprocessableEntity, page(views.EmailFormProps{
			Stamp: stamp, Email: raw, Errors: errs,
		}))
	}
	if err := mailLink(c.Request().Context(), email, h.letters()); err != nil {
		return err
	}
	h.wakeMailer()
	return redirect(c, sent)
}
