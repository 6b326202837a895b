package views

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"charter/models"
)

// RejectReasons are the common reasons a reviewer may pick when rejecting an application; any
// other reason is typed in.
var RejectReasons = []string{
	"We could not verify that the organisation exists.",
	"We could not verify that the contact person represents the organisation.",
	"The organisation is already on the list of signatories.",
	"The organisation's activities contradict the principles of the charter.",
	"The application is incomplete or not serious.",
}

// Messages of the administrators' console, kept here with the other words of the site.
const (
	MsgLoginFailed    = "The email or password is not right, or sign-in to this account is paused after too many failed attempts. Check them and try again, or wait a few minutes."
	MsgLoginThrottled = "Too many failed sign-ins from your network. Wait a few minutes and try again."
	MsgLoginMissing   = "Enter your email address and your password."
	MsgLoginBusy      = "Too many sign-ins are being checked right now. Wait a moment and try again."
	MsgApproved       = "Approved %s. It is now on the public list, and its contact has been emailed."
	MsgRejected       = "Rejected %s. Its contact has been emailed the reason."
	MsgRevoked        = "Revoked %s. It has left the public list, and its contact has been emailed the reason."
	MsgEdited         = "Saved the changes to %s."
	MsgNotEdited      = "Nothing was changed."
	MsgNoted          = "Added your note to the history."
	MsgBulkApproved   = "Approved %d applications."
	MsgBulkConflicts  = " %d had already been decided by someone else and were left as they were."
	MsgBulkNone       = "Select at least one application to approve."
	MsgReasonRequired = "Choose a reason, or write one under “Other reason”."
	MsgRevokeReason   = "Write the reason for revoking, which the contact will be emailed."
	MsgNoteRequired   = "Write the note."
)

// Messages for reviewers' texts that are too long, with the limits the handlers apply.
var (
	MsgReasonTooLong = "Keep the reason under " + formatCount(models.MaxReasonLength) + " characters."
	MsgNoteTooLong   = "Keep the note under " + formatCount(models.MaxNoteLength) + " characters."
)

// StatusLabel is how a status reads in the console.
func StatusLabel(s models.Status) string {
	switch s {
	case models.StatusSubmitted:
		return "Submitted (email not confirmed)"
	case models.StatusPending:
		return "Pending review"
	case models.StatusApproved:
		return "Approved"
	case models.StatusRejected:
		return "Rejected"
	case models.StatusWithdrawn:
		return "Withdrawn"
	case models.StatusRevoked:
		return "Revoked"
	case models.StatusCancelled:
		return "Cancelled"
	}
	return string(s)
}

// AlreadyDecided tells a reviewer that someone else decided first, and what the application is
// now ("" when it no longer exists).
func AlreadyDecided(now models.Status) string {
	if now == "" {
		return "Someone else has already decided on this application, and it no longer exists. Nothing was changed and no email was sent."
	}
	return "Someone else has already decided on this application: it is now “" + StatusLabel(now) +
		"”. Nothing was changed and no email was sent."
}

// FlagLabel is how a flag on an application reads.
func FlagLabel(kind models.FlagKind) string {
	switch kind {
	case models.FlagDuplicateEmail:
		return "Same contact email as"
	case models.FlagDuplicateDomain:
		return "Same website domain as"
	case models.FlagDuplicateName:
		return "Same name as"
	case models.FlagEmailDomainMismatch:
		return "Contact email's domain differs from the website"
	}
	return string(kind)
}

// ActionLabel is how an audited action reads.
func ActionLabel(action models.Action) string {
	switch action {
	case models.ActionSubmitted:
		return "Applied"
	case models.ActionLinkResent:
		return "Applied again: link mailed again"
	case models.ActionConfirmed:
		return "Email confirmed"
	case models.ActionManageLinkSent:
		return "Withdrawal link mailed"
	case models.ActionWithdrawn:
		return "Withdrawn by the contact"
	case models.ActionApproved:
		return "Approved"
	case models.ActionRejected:
		return "Rejected"
	case models.ActionRevoked:
		return "Revoked"
	case models.ActionEdited:
		return "Edited"
	case models.ActionNoted:
		return "Note"
	case models.ActionPurged:
		return "Deleted: email never confirmed"
	case models.ActionAdminCreated:
		return "Administrator created"
	case models.ActionAdminDisabled:
		return "Administrator disabled"
	case models.ActionAdminPasswordReset:
		return "Administrator's password reset"
	case models.ActionMailFailed:
		return "Email not delivered"
	case models.ActionMailResent:
		return "Email sent again"
	}
	return string(action)
}

// statusChange is how an audit event's change of status reads, or "" when it changed none. An
// empty status is a signatory that does not exist: before it applied, after it was purged.
func statusChange(e models.AuditEvent) string {
	if e.FromStatus == e.ToStatus {
		return ""
	}
	from, to := StatusLabel(e.FromStatus), StatusLabel(e.ToStatus)
	if e.FromStatus == "" {
		from = "New"
	}
	if e.ToStatus == "" {
		to = "Deleted"
	}
	return from + " → " + to
}

// EditedFieldLabel is how a public field that an edit changed reads in the history.
func EditedFieldLabel(f models.Field) string {
	switch f {
	case models.FieldName:
		return "Name"
	case models.FieldCategory:
		return "Category"
	case models.FieldCountry:
		return "Country"
	case models.FieldWebsite:
		return "Website"
	case models.FieldStatement:
		return "Statement"
	}
	return string(f)
}

// editedValue is how a value of an edited field reads: a category or a country by its name.
func editedValue(f models.Field, v string) string {
	switch f {
	case models.FieldCategory:
		return CategoryLabel(models.Category(v))
	case models.FieldCountry:
		if v == "" {
			return v
		}
		return CountryNameIn(English, v) + " (" + v + ")" // in the console's language once auditDetail has one
	}
	return v
}

// adminTime shows a time in the console, in UTC to the minute.
func adminTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func adminTimePtr(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return adminTime(*t)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// actorLabel says who caused an audit event.
func actorLabel(e models.AuditEvent, admins map[int64]string) string {
	switch e.Actor {
	case models.ActorAdmin:
		if e.AdminID != nil {
			if email, ok := admins[*e.AdminID]; ok {
				return email
			}
			return "administrator #" + itoa(*e.AdminID)
		}
		return "an administrator"
	case models.ActorContact:
		return "the contact"
	}
	return "the system"
}

// auditDetail turns the JSON detail of an event into lines a person reads: the fields an edit
// changed, the text of a note.
func auditDetail(e models.AuditEvent) []string {
	if e.Detail == "" {
		return nil
	}
	var d struct {
		Before  map[models.Field]string `json:"before"`
		After   map[models.Field]string `json:"after"`
		Note    string                  `json:"note"`
		AdminID *int64                  `json:"admin_id"`
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
		lines = append(lines, fmt.Sprintf("%s: “%s” → “%s”", EditedFieldLabel(f),
			editedValue(f, d.Before[f]), editedValue(f, d.After[f])))
	}
	if d.AdminID != nil {
		lines = append(lines, "administrator #"+itoa(*d.AdminID))
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
