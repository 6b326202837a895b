package handlers

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// audit shows the audit log, newest first, filtered by signatory, administrator and action.
func (h *Handler) audit(c echo.Context) error {
	ctx := c.Request().Context()
	num := func(name string) int64 {
		n, _ := strconv.ParseInt(strings.TrimSpace(c.QueryParam(name)), 10, 64)
		return n
	}
	f := models.AuditFilter{SignatoryID: num("signatory"), AdminID: num("admin"),
		Action: models.Action(strings.TrimSpace(c.QueryParam("action"))), Before: num("before")}
	events, next, err := h.Store.AuditEvents(ctx, f)
	if err != nil {
		return err
	}
	admins, err := h.Store.Admins(ctx)
	if err != nil {
		return err
	}
	emails := make(map[int64]string, len(admins))
	for _, a := range admins {
		emails[a.ID] = a.Email
	}
	actions, err := h.Store.AuditActions(ctx)
	if err != nil {
		return err
	}
	ch, err := h.chrome(c, "audit")
	if err != nil {
		return err
	}
	p := views.AuditProps{Chrome: ch, Events: events, Admins: admins, AdminEmails: emails, Actions: actions,
		Action: f.Action}
	if f.SignatoryID > 0 {
		p.SignatoryID = strconv.FormatInt(f.SignatoryID, 10)
	}
	if f.AdminID > 0 {
		p.AdminID = strconv.FormatInt(f.AdminID, 10)
	}
	if next != 0 {
		v := url.Values{"before": {strconv.FormatInt(next, 10)}}
		for k, val := range map[string]string{"signatory": p.SignatoryID, "admin": p.AdminID, "action": string(f.Action)} {
			if val != "" {
				v.Set(k, val)
			}
		}
		p.Next = "/admin/audit?" + v.Encode()
	}
	return render(c, http.StatusOK, views.AuditPage(p))
}

// exportColumns are the columns of the administrators' CSV export, contact data included.
var exportColumns = []string{"id", "slug", "name", "category", "country", "website", "statement",
	"contact_name", "contact_role", "contact_email", "status", "status_reason", "charter_version",
	"created_at", "confirmed_at", "approved_at", "rejected_at", "withdrawn_at", "revoked_at"}

// exportCSV streams every signatory, whatever its status, with its contact data.
func (h *Handler) exportCSV(c echo.Context) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="charter-signatories-with-contacts.csv"`)
	res.Header().Set(echo.HeaderCacheControl, "no-store")
	return h.stream(c, "text/csv; charset=utf-8; header=present", func(w io.Writer) error {
		return writeCSV(w, exportColumns, func(emit func([]string) error) error {
			return h.Store.EachSignatory(c.Request().Context(), func(s *models.Signatory) error {
				return emit([]string{strconv.FormatInt(s.ID, 10), s.Slug, cell(s.Name), string(s.Category), s.Country,
					cell(s.Website), cell(s.Statement), cell(s.ContactName), cell(s.ContactRole), cell(s.ContactEmail),
					string(s.Status), cell(s.StatusReason), s.CharterVersion, csvTime(&s.CreatedAt), csvTime(s.ConfirmedAt),
					csvTime(s.ApprovedAt), csvTime(s.RejectedAt), csvTime(s.WithdrawnAt), csvTime(s.RevokedAt)})
			})
		})
	})
}

// cell defuses a value a spreadsheet would take for a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
