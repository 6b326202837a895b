package views

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
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

// FlagLabel is how a flag on an application reads.
func FlagLabel(kind string) string {
	switch kind {
	case "duplicate_email":
		return "Same contact email as"
	case "duplicate_domain":
		return "Same website domain as"
	case "duplicate_name":
		return "Same name as"
	case "email_domain_mismatch":
		return "Contact email's domain differs from the website"
	}
	return kind
}

// ActionLabel is how an audited action reads.
func ActionLabel(action string) string {
	switch action {
	case "approve":
		return "Approved"
	case "reject":
		return "Rejected"
	case "revoke":
		return "Revoked"
	case "edit":
		return "Edited"
	case "note":
		return "Note"
	case "admin_create":
		return "Administrator created"
	case "admin_disable":
		return "Administrator disabled"
	case "admin_reset_password":
		return "Administrator's password reset"
	}
	return action
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
		Before  map[string]string `json:"before"`
		After   map[string]string `json:"after"`
		Note    string            `json:"note"`
		AdminID *int64            `json:"admin_id"`
	}
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		return []string{e.Detail}
	}
	var lines []string
	if d.Note != "" {
		lines = append(lines, d.Note)
	}
	fields := make([]string, 0, len(d.After))
	for f := range d.After {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		lines = append(lines, fmt.Sprintf("%s: “%s” → “%s”", f, d.Before[f], d.After[f]))
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
