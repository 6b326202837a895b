package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// Self-service (issue 17): from the manage page, the contact of an approved signatory changes the
// statement (at once), proposes a new name, website or country (reviewed in the queue,
// admin_proposals.go) and hands over to a new contact person (who confirms at /handover/TOKEN).
// The manage link is not spent by any of them. A refused form shows the manage page again with
// the field's message, status 422, and nothing changed.

// doneKeys are the messages of ?done= on the manage page, after a self-service form.
var doneKeys = map[string]string{
	"statement": "selfservice.done.statement",
	"proposed":  "selfservice.done.proposed",
	"handover":  "selfservice.done.handover",
	"unchanged": "selfservice.done.unchanged",
}

// selfService returns the manage page's self-service forms for an approved signatory, filled in
// with its current values, or nil for any other.
func (h *Handler) selfService(ctx context.Context, sig *models.Signatory, done string) (*views.SelfServiceProps, error) {
	if sig.Status != models.StatusApproved {
		return nil, nil
	}
	p := &views.SelfServiceProps{
		Statement: sig.Statement,
		Change:    views.ChangeValues{Name: sig.Name, Country: sig.Country, Website: sig.Website},
		Done:      doneKeys[done],
	}
	var err error
	if p.Proposal, err = h.Store.OpenProposal(ctx, sig.ID); err != nil {
		return nil, err
	}
	if p.Handover, err = h.Store.WaitingHandover(ctx, sig.ID); err != nil {
		return nil, err
	}
	return p, nil
}

// approvedForManage returns the signatory of the manage link of the request, for a self-service
// form: an answer is written (and the signatory nil) when the link does not work.
func (h *Handler) approvedForManage(c echo.Context) (*models.Signatory, error) {
	sig, err := h.Store.SignatoryForToken(c.Request().Context(), c.Param("token"), models.PurposeManage)
	if err != nil {
		return nil, linkProblem(c, err, true)
	}
	if sig.Status != models.StatusApproved {
		return nil, models.ErrNotApproved
	}
	return sig, nil
}

// refuseSelfService shows the manage page again with status and the form as entered (edit
// changes the page's self-service forms).
func (h *Handler) refuseSelfService(c echo.Context, status int, sig *models.Signatory, edit func(*views.SelfServiceProps)) error {
	return h.renderManageWith(c, status, c.Param("token"), sig, func(*views.DomainVerification) {}, edit)
}

// selfServiceDone answers a self-service form that was taken: a token error as for every manage
// link, else back to the manage page with what was done.
func (h *Handler) selfServiceDone(c echo.Context, err error, done string) error {
	if models.IsTokenError(err) {
		return linkProblem(c, err, true)
	}
	if err != nil {
		return err
	}
	return redirect(c, "/manage/"+c.Param("token")+"?done="+done)
}

// changeStatement publishes the contact's new commitment statement at once.
func (h *Handler) changeStatement(c echo.Context) error {
	noStore(c)
	sig, err := h.approvedForManage(c)
	if sig == nil {
		return err
	}
	raw := c.FormValue("statement")
	statement, problems := models.NormalizeStatement(sig, raw)
	if len(problems) > 0 {
		return h.refuseSelfService(c, http.StatusUnprocessableEntity, sig, func(p *views.SelfServiceProps) {
			p.Statement, p.Errors = raw, views.FieldMessages(problems)
		})
	}
	changed, err := h.Store.ChangeStatement(c.Request().Context(), c.Param("token"), statement)
	done := "statement"
	if !changed {
		done = "unchanged"
	}
	return h.selfServiceDone(c, err, done)
}

// proposeChange stores the contact's proposal of a new name, website or country for review.
func (h *Handler) proposeChange(c echo.Context) error {
	noStore(c)
	sig, err := h.approvedForManage(c)
	if sig == nil {
		return err
	}
	in := models.ChangeInput{Name: c.FormValue("name"), Country: c.FormValue("country"), Website: c.FormValue("website")}
	f, problems := in.Normalize(sig)
	if len(problems) > 0 {
		return h.refuseSelfService(c, http.StatusUnprocessableEntity, sig, func(p *views.SelfServiceProps) {
			p.Change, p.Errors = views.ChangeValues{Name: in.Name, Country: in.Country, Website: in.Website}, views.FieldMessages(problems)
		})
	}
	proposal, err := h.Store.ProposeChange(c.Request().Context(), c.Param("token"), f)
	done := "proposed"
	if proposal == nil {
		done = "unchanged"
	}
	return h.selfServiceDone(c, err, done)
}

// requestHandover names a new contact person and mails their address a link to confirm.
func (h *Handler) requestHandover(c echo.Context) error {
	noStore(c)
	sig, err := h.approvedForManage(c)
	if sig == nil {
		return err
	}
	in := models.ContactInput{Name: c.FormValue(string(models.FieldContactName)),
		Role: c.FormValue(string(models.FieldContactRole)), Email: c.FormValue(string(models.FieldContactEmail))}
	entered := func(p *views.SelfServiceProps) {
		p.Contact = views.ContactValues{Name: in.Name, Role: in.Role, Email: in.Email}
	}
	contact, problems := in.Normalize()
	if len(problems) > 0 {
		return h.refuseSelfService(c, http.StatusUnprocessableEntity, sig, func(p *views.SelfServiceProps) {
			entered(p)
			p.Errors = views.FieldMessages(problems)
		})
	}
	ctx := c.Request().Context()
	outcome, err := h.Store.RequestHandover(ctx, c.Param("token"), contact, string(views.LangOf(ctx)), h.letters())
	if err == nil && outcome == models.HandoverLimited {
		return h.refuseSelfService(c, http.StatusTooManyRequests, sig, func(p *views.SelfServiceProps) {
			entered(p)
			p.Limited = true
		})
	}
	if err == nil {
		h.wakeMailer()
	}
	return h.selfServiceDone(c, err, "handover")
}

// handoverProblem renders the page of a hand-over link that does not work: 404 for an unknown
// link, 410 for a used or expired one.
func handoverProblem(c echo.Context, err error) error {
	if problem, status, ok := linkProblemOf(err); ok {
		return render(c, status, views.HandoverLinkProblemPage(problem))
	}
	return err
}

// handoverPage shows the new contact which organisation they are asked to look after, and the
// button. It changes nothing: mail scanners open links.
func (h *Handler) handoverPage(c echo.Context) error {
	noStore(c)
	token := c.Param("token")
	_, sig, err := h.Store.HandoverFor(c.Request().Context(), token)
	if err != nil {
		return handoverProblem(c, err)
	}
	return render(c, http.StatusOK, views.HandoverPage(views.HandoverProps{Token: token, Name: sig.Name}))
}

// confirmHandover is the new contact's button: they become the contact, in the language of
// this page, and the old contact's manage links stop working.
func (h *Handler) confirmHandover(c echo.Context) error {
	noStore(c)
	ctx := c.Request().Context()
	if _, err := h.Store.ConfirmHandover(ctx, c.Param("token"), string(views.LangOf(ctx)), h.letters()); err != nil {
		return handoverProblem(c, err)
	}
	h.wakeMailer()
	return redirect(c, "/handed-over")
}

// handedOver tells the new contact what they can do now.
func (h *Handler) handedOver(c echo.Context) error {
	return render(c, http.StatusOK, views.HandedOverPage())
}
