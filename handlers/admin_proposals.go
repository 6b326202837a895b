package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// The review queue's decisions on proposed changes (models/proposal.go): approving applies the
// change through the reviewer's edit, rejecting mails the reason. Either way the contact is told,
// and the reviewer comes back to the queue.

// proposalDecided answers a decision on a proposal: back to the queue with a flash message
// saying what was done, or, when another reviewer decided first, that nothing was.
func (h *Handler) proposalDecided(c echo.Context, err error, sig *models.Signatory, key string) error {
	var f models.Flash
	switch {
	case errors.Is(err, models.ErrProposalDecided), errors.Is(err, models.ErrNotApproved):
		f = models.NewFlash("selfservice.flash.already_decided")
	case err != nil:
		return err
	default:
		f = models.NewFlash(key, "Name", sig.Name)
	}
	if err := h.flash(c, f); err != nil {
		return err
	}
	return redirect(c, "/admin")
}

// approveProposal applies a proposed change to the public entry.
func (h *Handler) approveProposal(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sig, err := h.Store.ApproveProposal(c.Request().Context(), id, signedIn(c).Admin.ID, h.letters())
	if err == nil {
		h.wakeMailer()
	}
	return h.proposalDecided(c, err, sig, "selfservice.flash.approved")
}

// rejectProposal declines a proposed change; the reason is required, and mailed.
func (h *Handler) rejectProposal(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if problem := reasonProblem(reason, "admin.reason.required"); problem != "" {
		return h.renderQueue(c, http.StatusUnprocessableEntity, map[int64]views.ProposalReject{id: {Reason: reason, Error: problem}})
	}
	sig, err := h.Store.RejectProposal(c.Request().Context(), id, signedIn(c).Admin.ID, reason, h.letters())
	if err == nil {
		h.wakeMailer()
	}
	return h.proposalDecided(c, err, sig, "selfservice.flash.rejected")
}
