package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// letters writes the journey's emails with links to this site.
func (h *Handler) letters() views.Emails { return views.Emails{BaseURL: h.BaseURL} }

// signForm shows the empty sign-up form.
func (h *Handler) signForm(c echo.Context) error {
	stamp, err := h.formStamp(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.SignPage(views.SignProps{
		Stamp: stamp, CharterVersion: h.Charter.Version,
	}))
}

// sign stores an application, or shows the form again with what is wrong. Whether the address
// had applied before, the answer is the same "check your email".
func (h *Handler) sign(c echo.Context) error {
	stamp, refused, err := h.guardForm(c)
	if err != nil {
		return err
	}
	f := parseSignupForm(c)
	app, errs := f.Validate(h.Charter.Version)
	if !refused.None() {
		errs.Prepend(refused)
	}
	if len(errs) > 0 {
		return render(c, http.StatusUnprocessableEntity, views.SignPage(views.SignProps{
			Stamp: stamp, Values: f.SignValues, Errors: errs, CharterVersion: h.Charter.Version,
		}))
	}
	ctx := c.Request().Context()
	app.Lang = string(views.LangOf(ctx)) // the contact's mail is written in the language they signed in
	outcome, err := h.Store.Submit(ctx, app, h.Charter.Version, h.letters())
	if err != nil {
		return err
	}
	h.Log.Info("application received", "outcome", outcomeName(outcome))
	h.wakeMailer()
	return redirect(c, "/sign/sent")
}

func outcomeName(o models.SubmitOutcome) string {
	switch o {
	case models.SubmitResent:
		return "open application found, link mailed again"
	case models.SubmitLimited:
		return "open application found, mailed too recently"
	case models.SubmitMailLimited:
		return "mail refused by a mail limit"
	}
	return "new application"
}

// signSent is the neutral "check your email" page.
func (h *Handler) signSent(c echo.Context) error {
	return render(c, http.StatusOK, views.SignSentPage())
}

// resendForm asks for the email of an unconfirmed application.
func (h *Handler) resendForm(c echo.Context) error {
	return h.showEmailForm(c, views.ResendPage)
}

// resend mails a new confirmation link, if there is an unconfirmed application with this email.
func (h *Handler) resend(c echo.Context) error {
	return h.sendEmailForm(c, views.ResendPage, h.Store.ResendConfirmation, "/sign/sent")
}

// linkProblemOf says what is wrong with an emailed link from the error looking it up: unknown
// (404), used or expired (410); ok is false for any other error.
func linkProblemOf(err error) (problem views.LinkProblem, status int, ok bool) {
	switch {
	case errors.Is(err, models.ErrTokenUnknown):
		return views.LinkUnknown, http.StatusNotFound, true
	case errors.Is(err, models.ErrTokenUsed):
		return views.LinkUsed, http.StatusGone, true
	case errors.Is(err, models.ErrTokenExpired):
		return views.LinkExpired, http.StatusGone, true
	}
	return "", 0, false
}

// linkProblem renders the page for a confirmation or manage link that does not work. Other
// errors go to the error handler.
func linkProblem(c echo.Context, err error, manage bool) error {
	problem, status, ok := linkProblemOf(err)
	if !ok {
		return err
	}
	return render(c, status, views.LinkProblemPage(views.LinkProblemProps{Manage: manage, Problem: problem}))
}

// noStore keeps pages reached through secret links out of caches.
func noStore(c echo.Context) {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
}

// confirmPage shows what a confirmation link is for. It changes nothing: mail scanners open links.
func (h *Handler) confirmPage(c echo.Context) error {
	noStore(c)
	token := c.Param("token")
	sig, err := h.Store.SignatoryForToken(c.Request().Context(), token, models.PurposeConfirm)
	if err != nil {
		return linkProblem(c, err, false)
	}
	return render(c, http.StatusOK, views.ConfirmPage(views.ConfirmProps{
		Token: token, Name: sig.Name,
	}))
}

// confirm is the Confirm button: the application moves to pending, the reviewers are told.
func (h *Handler) confirm(c echo.Context) error {
	noStore(c)
	_, err := h.Store.Confirm(c.Request().Context(), c.Param("token"), h.NotifyAdmins, h.letters())
	if err != nil {
		return linkProblem(c, err, false)
	}
	h.wakeMailer()
	return redirect(c, "/confirmed")
}

// confirmed thanks the contact.
func (h *Handler) confirmed(c echo.Context) error {
	return render(c, http.StatusOK, views.ConfirmedPage())
}
