package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// Charter versions and re-affirmation: the public pages of the published texts, the emailed
// re-affirmation link (a GET shows what changed, only the POST button re-affirms), and the
// console's list of signatories that have not re-affirmed, with a reminder button.

// charterVersions lists the published versions of the charter.
func (h *Handler) charterVersions(c echo.Context) error {
	return h.servePublic(c, "/charter/versions", echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		vs, err := h.Store.CharterVersions(ctx)
		if err != nil {
			return err
		}
		return views.VersionsPage(views.VersionsProps{Versions: vs}).Render(ctx, buf)
	})
}

// charterVersion shows one published version, in the page's language when a translation of that
// version is stored, else in English.
func (h *Handler) charterVersion(c echo.Context) error {
	label := c.Param("label")
	if len(label) > 20 {
		return models.ErrNotFound
	}
	return h.servePublic(c, "/charter/versions/"+label, echo.MIMETextHTMLCharsetUTF8, func(ctx context.Context, buf *bytes.Buffer) error {
		v, err := h.Store.CharterVersionByLabel(ctx, label)
		if err != nil {
			return err
		}
		vs, err := h.Store.CharterVersions(ctx)
		if err != nil {
			return err
		}
		p := views.VersionProps{Version: *v, Current: vs.Current()}
		if text, translated := v.Text(string(views.LangOf(ctx))); text != "" {
			if p.HTML, err = models.RenderCharter(text); err != nil {
				return err
			}
			p.Translated = translated
		}
		return views.VersionPage(p).Render(ctx, buf)
	})
}

// reaffirmProblem renders the page for a re-affirmation link that does not work: 404 for an
// unknown link, 410 for a used or expired one.
func reaffirmProblem(c echo.Context, err error) error {
	if problem, status, ok := linkProblemOf(err); ok {
		return render(c, status, views.ReaffirmLinkProblemPage(problem))
	}
	return err
}

// reaffirmPage shows what changed since the organisation signed, and the button. It changes
// nothing: mail scanners open links.
func (h *Handler) reaffirmPage(c echo.Context) error {
	noStore(c)
	token := c.Param("token")
	r, err := h.Store.ReaffirmationFor(c.Request().Context(), token)
	if err != nil {
		return reaffirmProblem(c, err)
	}
	p := views.ReaffirmProps{Token: token, Name: r.Signatory.Name, From: r.From, To: *r.To}
	if r.From != nil && r.From.TextEN != "" {
		p.Diff = views.LineDiff(r.From.TextEN, r.To.TextEN)
	}
	return render(c, http.StatusOK, views.ReaffirmPage(p))
}

// reaffirm is the button: the signature now re-affirms the current version.
func (h *Handler) reaffirm(c echo.Context) error {
	noStore(c)
	if _, _, err := h.Store.Reaffirm(c.Request().Context(), c.Param("token")); err != nil {
		return reaffirmProblem(c, err)
	}
	return redirect(c, "/reaffirmed")
}

// reaffirmed thanks the contact.
func (h *Handler) reaffirmed(c echo.Context) error {
	return render(c, http.StatusOK, views.ReaffirmedPage())
}

// notReaffirmed lists, for reviewers, the approved signatories that have not re-affirmed the
// current version, a page at a time.
func (h *Handler) notReaffirmed(c echo.Context) error {
	ctx := c.Request().Context()
	after, _ := strconv.ParseInt(c.QueryParam("after"), 10, 64)
	page, err := h.Store.NotReaffirmed(ctx, max(after, 0))
	if err != nil {
		return err
	}
	vs, err := h.Store.CharterVersions(ctx)
	if err != nil {
		return err
	}
	ch, err := h.chrome(c, "reaffirm")
	if err != nil {
		return err
	}
	p := views.NotReaffirmedProps{Chrome: ch, Page: page, Versions: vs}
	if page.Next != 0 {
		p.Next = "/admin/reaffirm?" + url.Values{"after": {strconv.FormatInt(page.Next, 10)}}.Encode()
	}
	return render(c, http.StatusOK, views.NotReaffirmedPage(p))
}

// remindReaffirm mails a signatory's contact a new link to re-affirm, at most once per
// models.ReminderInterval; the audit log records who asked.
func (h *Handler) remindReaffirm(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	admin := signedIn(c).Admin.ID
	f := models.NewFlash("admin.flash.reaffirm_reminded")
	switch err := h.Store.RemindReaffirm(c.Request().Context(), id, admin, h.letters()); {
	case errors.Is(err, models.ErrReaffirmNotDue):
		f = models.NewFlash("admin.flash.reaffirm_not_due")
	case errors.Is(err, models.ErrReaffirmAskedRecently):
		f = models.NewFlash("admin.flash.reaffirm_asked_recently")
	case err != nil:
		return err
	default:
		h.Log.Info("re-affirmation reminder queued", "signatory", id, "admin", admin)
		h.wakeMailer()
	}
	if err := h.flash(c, f); err != nil {
		return err
	}
	return redirect(c, "/admin/reaffirm")
}
