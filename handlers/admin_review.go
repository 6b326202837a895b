package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// maxBulk bounds how many applications one bulk approval may take.
const maxBulk = 200

// queue shows the signatories in one status (pending by default), oldest first; beside the
// pending ones, the proposed changes of approved signatories (admin_proposals.go).
func (h *Handler) queue(c echo.Context) error {
	return h.renderQueue(c, http.StatusOK, nil)
}

// renderQueue renders the review queue with status; reject, if not nil, holds a refused
// rejection of a proposal, shown beside it.
func (h *Handler) renderQueue(c echo.Context, status int, reject map[int64]views.ProposalReject) error {
	ctx := c.Request().Context()
	st := models.Status(c.QueryParam("status"))
	if st == "" {
		st = models.StatusPending
	}
	if !st.Valid() {
		return models.Errorf(models.KindInvalid, "error.no_status", "Status", st)
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	rows, next, err := h.Store.ReviewQueue(ctx, models.QueueFilter{Status: st, Query: q, After: after})
	if err != nil {
		return err
	}
	counts, err := h.Store.CountByStatus(ctx)
	if err != nil {
		return err
	}
	ch, err := h.chrome(c, "queue")
	if err != nil {
		return err
	}
	p := views.QueueProps{Chrome: ch, Status: st, Query: q, Counts: counts, Rows: rows}
	if st == models.StatusPending {
		proposals, total, err := h.Store.ProposalQueue(ctx)
		if err != nil {
			return err
		}
		p.Proposals = &views.ProposalQueueProps{Rows: proposals, Total: total, CSRF: ch.CSRF, Reject: reject}
	}
	if next != 0 {
		v := url.Values{"status": {string(st)}, "after": {strconv.FormatInt(next, 10)}}
		if q != "" {
			v.Set("q", q)
		}
		p.Next = "/admin?" + v.Encode()
	}
	return render(c, status, views.QueuePage(p))
}

// pathID is the :id of a console path (a signatory, a proposal, a mail); a malformed one is simply
// not found.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

// renderAdminSignatory renders the console's signatory page with status and props (the errors of a refused
// action, if any) filled in with the signatory's current data.
func (h *Handler) renderAdminSignatory(c echo.Context, status int, p views.SignatoryAdminProps, keepEdit bool) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sig, flags, history, err := h.Store.SignatoryForReview(ctx, id)
	if err != nil {
		return err
	}
	flaggedBy, err := h.Store.FlagsPointingAt(ctx, id)
	if err != nil {
		return err
	}
	admins, err := h.Store.AdminEmails(ctx)
	if err != nil {
		return err
	}
	if p.Versions, err = h.Store.CharterVersions(ctx); err != nil {
		return err
	}
	if p.Chrome, err = h.chrome(c, ""); err != nil {
		return err
	}
	p.Chrome.Here = "/admin/signatories/" + strconv.FormatInt(id, 10) // also when a refused form shows it
	p.Sig, p.Flags, p.FlaggedBy, p.History, p.Admins = sig, flags, flaggedBy, history, admins
	if !keepEdit {
		p.Edit = views.EditValues{Name: sig.Name, Category: string(sig.Category), Country: sig.Country,
			Website: sig.Website, Statement: sig.Statement}
	}
	return render(c, status, views.SignatoryAdminPage(p))
}

// signatory shows one signatory with its flags, its history and the actions on it.
func (h *Handler) signatory(c echo.Context) error {
	return h.renderAdminSignatory(c, http.StatusOK, views.SignatoryAdminProps{}, false)
}

// decided answers a decision: back to the signatory with a flash message, or, when another
// reviewer decided first, the page again with the conflict explained.
func (h *Handler) decided(c echo.Context, err error, sig *models.Signatory, key string) error {
	var lost *models.AlreadyDecidedError
	if errors.As(err, &lost) {
		f := models.NewFlash("admin.flash.already_decided", "Status", string(lost.Status))
		if lost.Status == "" {
			f = models.NewFlash("admin.flash.already_gone")
		}
		if ferr := h.flash(c, f); ferr != nil {
			return ferr
		}
		return h.renderAdminSignatory(c, http.StatusConflict, views.SignatoryAdminProps{}, false)
	}
	if err != nil {
		return err
	}
	if err := h.flash(c, models.NewFlash(key, "Name", sig.Name)); err != nil {
		return err
	}
	return redirect(c, "/admin/signatories/"+strconv.FormatInt(sig.ID, 10))
}

// approve puts a pending application on the public list.
func (h *Handler) approve(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	sig, err := h.Store.ApproveSignatory(c.Request().Context(), models.Decision{
		SignatoryID: id, AdminID: signedIn(c).Admin.ID, Letters: h.letters()})
	return h.decided(c, err, sig, "admin.flash.approved")
}

// rejectReason is the reason of the reject form: the one typed in, else the common one picked.
func rejectReason(c echo.Context) (reason, picked, other string) {
	picked = strings.TrimSpace(c.FormValue("reason"))
	other = strings.TrimSpace(c.FormValue("reason_other"))
	if other != "" {
		return other, picked, other
	}
	return picked, picked, other
}

// reasonProblem is the key of what is wrong with the reason of a rejection or revocation
// (missing is the form's own, since the two forms ask differently), or "".
func reasonProblem(reason, missing string) string {
	switch {
	case reason == "":
		return missing
	case utf8.RuneCountInString(reason) > models.MaxReasonLength:
		return "admin.reason.too_long"
	}
	return ""
}

// reject declines a pending application; the reason is required.
func (h *Handler) reject(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	reason, picked, other := rejectReason(c)
	if problem := reasonProblem(reason, "admin.reason.required"); problem != "" {
		return h.renderAdminSignatory(c, http.StatusUnprocessableEntity, views.SignatoryAdminProps{
			RejectReason: picked, RejectOther: other, RejectError: problem}, false)
	}
	sig, err := h.Store.RejectSignatory(c.Request().Context(), models.Decision{
		SignatoryID: id, AdminID: signedIn(c).Admin.ID, Reason: reason, Letters: h.letters()})
	return h.decided(c, err, sig, "admin.flash.rejected")
}

// revoke removes an approved signatory from the public list; the reason is required.
func (h *Handler) revoke(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if problem := reasonProblem(reason, "admin.reason.revoke_required"); problem != "" {
		return h.renderAdminSignatory(c, http.StatusUnprocessableEntity, views.SignatoryAdminProps{
			RevokeReason: reason, RevokeError: problem}, false)
	}
	sig, err := h.Store.RevokeSignatory(c.Request().Context(), models.Decision{
		SignatoryID: id, AdminID: signedIn(c).Admin.ID, Reason: reason, Letters: h.letters()})
	return h.decided(c, err, sig, "admin.flash.revoked")
}

// editForm is the form correcting a signatory's public fields.
type editForm struct {
	views.EditValues
}

func parseEditForm(c echo.Context) editForm {
	return editForm{views.EditValues{
		Name:      c.FormValue("name"),
		Category:  c.FormValue("category"),
		Country:   c.FormValue("country"),
		Website:   c.FormValue("website"),
		Statement: c.FormValue("statement"),
	}}
}

// Validate checks the fields with the models' normaliser, the one sign-up uses, and returns
// them as they are stored, or the problems to show beside each field.
func (f editForm) Validate() (models.PublicFields, views.FieldErrors) {
	pub, problems := models.PublicInput{Name: f.Name, Category: f.Category, Country: f.Country,
		Website: f.Website, Statement: f.Statement}.Normalize()
	return pub, views.FieldMessages(problems)
}

// edit corrects the public fields of a signatory; the change is recorded before and after.
func (h *Handler) edit(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f := parseEditForm(c)
	pub, errs := f.Validate()
	if len(errs) > 0 {
		return h.renderAdminSignatory(c, http.StatusUnprocessableEntity, views.SignatoryAdminProps{Edit: f.EditValues, EditErrors: errs}, true)
	}
	changed, err := h.Store.EditSignatory(c.Request().Context(), id, signedIn(c).Admin.ID, pub)
	if err != nil {
		return err
	}
	msg := models.NewFlash("admin.flash.not_edited")
	if changed {
		msg = models.NewFlash("admin.flash.edited", "Name", pub.Name)
	}
	if err := h.flash(c, msg); err != nil {
		return err
	}
	return redirect(c, "/admin/signatories/"+strconv.FormatInt(id, 10))
}

// addNote records an internal note in the signatory's history.
func (h *Handler) addNote(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	note := strings.TrimSpace(c.FormValue("note"))
	problem := ""
	switch {
	case note == "":
		problem = "admin.note.required"
	case utf8.RuneCountInString(note) > models.MaxNoteLength:
		problem = "admin.note.too_long"
	}
	if problem != "" {
		return h.renderAdminSignatory(c, http.StatusUnprocessableEntity, views.SignatoryAdminProps{Note: note, NoteError: problem}, false)
	}
	if err := h.Store.AddNote(c.Request().Context(), id, signedIn(c).Admin.ID, note); err != nil {
		return err
	}
	if err := h.flash(c, models.NewFlash("admin.flash.noted")); err != nil {
		return err
	}
	return redirect(c, "/admin/signatories/"+strconv.FormatInt(id, 10))
}

// selectedIDs reads the ids of the applications ticked in the queue.
func selectedIDs(values []string) ([]int64, error) {
	if len(values) > maxBulk {
		return nil, models.Errorf(models.KindInvalid, "error.bulk_too_many", "Max", maxBulk)
	}
	ids := make([]int64, 0, len(values))
	seen := map[int64]bool{}
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return nil, models.Errorf(models.KindInvalid, "error.bulk_bad_id", "Value", v)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// confirmBulkApprove asks to confirm the approval of the applications ticked in the queue. It
// changes nothing, so it is a GET.
func (h *Handler) confirmBulkApprove(c echo.Context) error {
	ids, err := selectedIDs(c.QueryParams()["id"])
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		if err := h.flash(c, models.NewFlash("admin.flash.bulk_none")); err != nil {
			return err
		}
		return redirect(c, "/admin")
	}
	sigs, err := h.Store.SignatoriesByID(c.Request().Context(), ids)
	if err != nil {
		return err
	}
	ch, err := h.chrome(c, "")
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, views.BulkApprovePage(views.BulkApproveProps{Chrome: ch, Rows: sigs}))
}

// bulkApprove approves each confirmed application in its own transaction; those another reviewer
// decided meanwhile are counted and left alone.
func (h *Handler) bulkApprove(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	ids, err := selectedIDs(form["id"])
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	adminID := signedIn(c).Admin.ID
	var approved, conflicts int64
	for _, id := range ids {
		_, err := h.Store.ApproveSignatory(ctx, models.Decision{SignatoryID: id, AdminID: adminID, Letters: h.letters()})
		switch models.KindOf(err) {
		case models.KindConflict, models.KindNotFound:
			conflicts++
			continue
		}
		if err != nil {
			return err
		}
		approved++
	}
	f := models.Flash{models.CountFlash("admin.flash.bulk_approved", approved)}
	if conflicts > 0 {
		f = append(f, models.CountFlash("admin.flash.bulk_conflicts", conflicts))
	}
	if err := h.flash(c, f); err != nil {
		return err
	}
	return redirect(c, "/admin")
}
