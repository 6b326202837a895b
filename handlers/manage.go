package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// manageForm asks for the contact's email, to mail a link to manage the signature.
func (h *Handler) manageForm(c echo.Context) error {
	return h.showEmailForm(c, views.ManagePage)
}

// manage mails the link if the address belongs to an open or approved signatory; the answer is
// the same either way, so the form does not tell who has signed.
func (h *Handler) manage(c echo.Context) error {
	return h.sendEmailForm(c, views.ManagePage, h.Store.RequestManageLink, "/manage/sent")
}

// manageSent is the neutral "check your email" page.
func (h *Handler) manageSent(c echo.Context) error {
	return render(c, http.StatusOK, views.ManageSentPage())
}

// managePage shows what a manage link is for, with the button to withdraw, and the website's
// domain, verified or how to verify it (verify.go). It changes nothing.
func (h *Handler) managePage(c echo.Context) error {
	noStore(c)
	token := c.Param("token")
	sig, err := h.Store.SignatoryForToken(c.Request().Context(), token, models.PurposeManage)
	if err != nil {
		return linkProblem(c, err, true)
	}
	return h.renderManage(c, http.StatusOK, token, sig, func(d *views.DomainVerification) {
		d.JustDone = d.Verified && c.QueryParam("verified") != ""
	})
}

// renderManage renders the manage page of sig with status; domain adjusts what the page says
// about the website's domain.
func (h *Handler) renderManage(c echo.Context, status int, token string, sig *models.Signatory, domain func(*views.DomainVerification)) error {
	return h.renderManageWith(c, status, token, sig, domain, nil)
}

// renderManageWith is renderManage where self, if not nil, adjusts the self-service forms of an
// approved signatory (manage_selfservice.go).
func (h *Handler) renderManageWith(c echo.Context, status int, token string, sig *models.Signatory,
	domain func(*views.DomainVerification), self func(*views.SelfServiceProps)) error {
	lang, ok := views.ParseLang(sig.Lang)
	if !ok {
		lang = views.English
	}
	ctx := c.Request().Context()
	d, err := h.domainVerification(ctx, sig)
	if err != nil {
		return err
	}
	domain(&d)
	ss, err := h.selfService(ctx, sig, c.QueryParam("done"))
	if err != nil {
		return err
	}
	if ss != nil && self != nil {
		self(ss)
	}
	return render(c, status, views.ManageTokenPage(views.ManageTokenProps{
		Token: token, Name: sig.Name, Slug: sig.Slug, Status: sig.Status, Lang: lang, Saved: c.QueryParam("saved") != "", Domain: d, Self: ss,
	}))
}

// setMailLang is the manage page's choice of the language the contact's emails are written in. The
// link keeps working: choosing a language is not what the link is spent on.
func (h *Handler) setMailLang(c echo.Context) error {
	noStore(c)
	lang, ok := views.ParseLang(c.FormValue("lang"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	token := c.Param("token")
	if err := h.Store.SetLang(c.Request().Context(), token, string(lang)); err != nil {
		return linkProblem(c, err, true)
	}
	return redirect(c, "/manage/"+token+"?saved=1")
}

// withdraw is the "Withdraw our signature" button.
func (h *Handler) withdraw(c echo.Context) error {
	noStore(c)
	if _, err := h.Store.Withdraw(c.Request().Context(), c.Param("token"), h.letters()); err != nil {
		return linkProblem(c, err, true)
	}
	h.wakeMailer()
	return redirect(c, "/withdrawn")
}

// withdrawn confirms the withdrawal.
func (h *Handler) withdrawn(c echo.Context) error {
	return render(c, http.StatusOK, views.WithdrawnPage())
}
