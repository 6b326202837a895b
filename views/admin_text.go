package views

import (
	"cmp"
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"charter/models"
)

// RejectReasons are the keys of the common reasons a reviewer may pick when rejecting an
// application; any other reason is typed in. The reason stored and emailed is the text in the
// reviewer's language.
var RejectReasons = []string{
	"admin.reject_reason.unverified_organisation",
	"admin.reject_reason.unverified_contact",
	"admin.reject_reason.already_listed",
	"admin.reject_reason.contradicts_charter",
	"admin.reject_reason.not_serious",
}

// formError is the message of a refused console form (a key the handler chose) in the language
// of ctx; max is the limit of the field, which the message for a text too long names.
func formError(ctx context.Context, key string, max int) string {
	if key == "" {
		return ""
	}
	return T(ctx, key, "Max", Number(ctx, int64(max)))
}

// StatusLabel is how a status reads in the console.
func StatusLabel(ctx context.Context, s models.Status) string {
	switch s {
	case models.StatusSubmitted:
		return T(ctx, "admin.status.submitted")
	case models.StatusPending:
		return T(ctx, "admin.status.pending")
	case models.StatusApproved:
		return T(ctx, "admin.status.approved")
	case models.StatusRejected:
		return T(ctx, "admin.status.rejected")
	case models.StatusWithdrawn:
		return T(ctx, "admin.status.withdrawn")
	case models.StatusRevoked:
		return T(ctx, "admin.status.revoked")
	case models.StatusCancelled:
		return T(ctx, "admin.status.cancelled")
	}
	return string(s)
}

// FlagLabel is how a flag on an application reads.
func FlagLabel(ctx context.Context, kind models.FlagKind) string {
	switch kind {
	case models.FlagDuplicateEmail:
		return T(ctx, "admin.flag.duplicate_email")
	case models.FlagDuplicateDomain:
		return T(ctx, "admin.flag.duplicate_domain")
	case models.FlagDuplicateName:
		return T(ctx, "admin.flag.duplicate_name")
	case models.FlagEmailDomainMismatch:
		return T(ctx, "admin.flag.email_domain_mismatch")
	}
	return string(kind)
}

// ActionLabel is how an audited action reads.
func ActionLabel(ctx context.Context, action models.Action) string {
	switch action {
	case models.ActionSubmitted:
		return T(ctx, "admin.action.submit")
	case models.ActionLinkResent:
		return T(ctx, "admin.action.link_resent")
	case models.ActionConfirmed:
		return T(ctx, "admin.action.confirm")
	case models.ActionManageLinkSent:
		return T(ctx, "admin.action.manage_link_sent")
	case models.ActionWithdrawn:
		return T(ctx, "admin.action.withdraw")
	case models.ActionApproved:
		return T(ctx, "admin.action.approve")
	case models.ActionRejected:
		return T(ctx, "admin.action.reject")
	case models.ActionRevoked:
		return T(ctx, "admin.action.revoke")
	case models.ActionEdited:
		return T(ctx, "admin.action.edit")
	case models.ActionNoted:
		return T(ctx, "admin.action.note")
	case models.ActionPurged:
		return T(ctx, "admin.action.purge")
	case models.ActionAdminCreated:
		return T(ctx, "admin.action.admin_created")
	case models.ActionAdminDisabled:
		return T(ctx, "admin.action.admin_disabled")
	case models.ActionAdminPasswordReset:
		return T(ctx, "admin.action.admin_password_reset")
	case models.ActionMailFailed:
		return T(ctx, "admin.action.mail_failed")
	case models.ActionMailResent:
		return T(ctx, "admin.action.mail_resent")
	case models.ActionVersionPublished:
		return T(ctx, "admin.action.version_published")
	case models.ActionReaffirmRequested:
		return T(ctx, "admin.action.reaffirm_requested")
	case models.ActionReaffirmReminded:
		return T(ctx, "admin.action.reaffirm_reminded")
	case models.ActionReaffirmed:
		return T(ctx, "admin.action.reaffirmed")
	case models.ActionDomainVerified:
		return T(ctx, "verify.admin.action")
	case models.ActionStatementChanged:
		return T(ctx, "selfservice.action.statement_changed")
	case models.ActionChangeProposed:
		return T(ctx, "selfservice.action.change_proposed")
	case models.ActionProposalApproved:
		return T(ctx, "selfservice.action.proposal_approved")
	case models.ActionProposalRejected:
		return T(ctx, "selfservice.action.proposal_rejected")
	case models.ActionHandoverRequested:
		return T(ctx, "selfservice.action.handover_requested")
	case models.ActionHandedOver:
		return T(ctx, "selfservice.action.handed_over")
	}
	return string(action)
}

// statusChange is how an audit event's change of status reads, or "" when it changed none. An
// empty status is a signatory that does not exist: before it applied, after it was purged.
func statusChange(ctx context.Context, e models.AuditEvent) string {
	if e.FromStatus == e.ToStatus {
		return ""
	}
	from, to := StatusLabel(ctx, e.FromStatus), StatusLabel(ctx, e.ToStatus)
	if e.FromStatus == "" {
		from = T(ctx, "admin.status.new")
	}
	if e.ToStatus == "" {
		to = T(ctx, "admin.status.deleted")
	}
	return from + " → " + to
}

// EditedFieldLabel is how a public field that an edit changed reads in the history.
func EditedFieldLabel(ctx context.Context, f models.Field) string {
	switch f {
	case models.FieldName:
		return T(ctx, "admin.field.name")
	case models.FieldCategory:
		return T(ctx, "admin.field.category")
	case models.FieldCountry:
		return T(ctx, "admin.field.country")
	case models.FieldWebsite:
		return T(ctx, "admin.field.website")
	case models.FieldStatement:
		return T(ctx, "admin.field.statement")
	case models.FieldContactName:
		return T(ctx, "selfservice.admin.contact_name")
	case models.FieldContactRole:
		return T(ctx, "selfservice.admin.contact_role")
	case models.FieldContactEmail:
		return T(ctx, "selfservice.admin.contact_email")
	}
	return string(f)
}

// editedValue is how a value of an edited field reads: a category or a country by its name.
func editedValue(ctx context.Context, f models.Field, v string) string {
	switch f {
	case models.FieldCategory:
		return CategoryName(ctx, models.Category(v))
	case models.FieldCountry:
		if v == "" {
			return v
		}
		return CountryName(ctx, v) + " (" + v + ")"
	}
	return v
}

// adminTime shows a time in the console, in UTC to the minute, with the date as the language
// writes it: 29 November 2026, 14:05 UTC.
func adminTime(ctx context.Context, t time.Time) string {
	t = t.UTC()
	return T(ctx, "admin.time", "Date", Date(ctx, t), "Time", t.Format("15:04"))
}

func adminTimePtr(ctx context.Context, t *time.Time) string {
	if t == nil {
		return T(ctx, "admin.none")
	}
	return adminTime(ctx, *t)
}

// FlashText is the message left for this page (models.Flash) in the language of ctx, whatever
// the language of the page that left it. An argument named Status is a models.Status, shown by
// its label.
func FlashText(ctx context.Context, f models.Flash) string {
	parts := make([]string, 0, len(f))
	for _, m := range f {
		args := make([]any, 0, 2*len(m.Args))
		for name, v := range m.Args {
			if name == "Status" {
				v = StatusLabel(ctx, models.Status(v))
			}
			args = append(args, name, v)
		}
		if m.Count != nil {
			parts = append(parts, TN(ctx, m.Key, *m.Count, args...))
		} else {
			parts = append(parts, T(ctx, m.Key, args...))
		}
	}
	return strings.Join(parts, " ")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// actorLabel says who caused an audit event.
func actorLabel(ctx context.Context, e models.AuditEvent, admins map[int64]string) string {
	switch e.Actor {
	case models.ActorAdmin:
		if e.AdminID != nil {
			if email, ok := admins[*e.AdminID]; ok {
				return email
			}
			return T(ctx, "admin.actor.admin_number", "ID", itoa(*e.AdminID))
		}
		return T(ctx, "admin.actor.admin")
	case models.ActorContact:
		return T(ctx, "admin.actor.contact")
	}
	return T(ctx, "admin.actor.system")
}

// auditDetail turns the JSON detail of an event into lines a person reads: the fields an edit
// changed, the text of a note.
func auditDetail(ctx context.Context, e models.AuditEvent) []string {
	if e.Detail == "" {
		return nil
	}
	var d struct {
		Before  map[models.Field]string `json:"before"`
		After   map[models.Field]string `json:"after"`
		Note    string                  `json:"note"`
		AdminID *int64                  `json:"admin_id"`
		Domain  string                  `json:"domain"`
	}
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		return []string{e.Detail}
	}
	var lines []string
	if d.Note != "" {
		lines = append(lines, d.Note)
	}
	fields := make([]models.Field, 0, len(d.After))
	for f := range d.After {
		fields = append(fields, f)
	}
	slices.SortFunc(fields, func(a, b models.Field) int { // the form's order; unknown ones last
		ia, ib := slices.Index(models.AllEditedFields, a), slices.Index(models.AllEditedFields, b)
		if ia < 0 {
			ia = len(models.AllEditedFields)
		}
		if ib < 0 {
			ib = len(models.AllEditedFields)
		}
		return cmp.Or(cmp.Compare(ia, ib), cmp.Compare(a, b))
	})
	for _, f := range fields {
		lines = append(lines, T(ctx, "admin.history.edited", "Field", EditedFieldLabel(ctx, f),
			"Before", editedValue(ctx, f, d.Before[f]), "After", editedValue(ctx, f, d.After[f])))
	}
	if d.AdminID != nil {
		lines = append(lines, T(ctx, "admin.actor.admin_number", "ID", itoa(*d.AdminID)))
	}
	if d.Domain != "" {
		lines = append(lines, T(ctx, "verify.admin.history", "Domain", DomainName(d.Domain)))
	}
	if len(lines) == 0 {
		lines = append(lines, e.Detail)
	}
	return lines
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeWebsite returns a website address for a link only when it is http(s), so a stored
// "javascript:" address cannot become a live link in the console.
func safeWebsite(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "#"
	}
	return s
}
