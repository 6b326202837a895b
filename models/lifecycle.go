package models

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"charter/publiclog"
)

// The lifecycle of a signatory (DESIGN.md section 3) in one place: its statuses, the actions the
// audit log records, the kinds of flag on an application, the transitions between statuses, and
// the sets of statuses the rest of the code (and its SQL) asks about. Each is stored as text, as
// the constant's value; views gives each a label, and a test there fails on one without.

// Status is where a signatory stands in its lifecycle.
type Status string

// The states of a signatory. Only StatusApproved is on the public list.
const (
	StatusSubmitted Status = "submitted" // applied; the contact has not confirmed the email yet
	StatusPending   Status = "pending"   // confirmed; waiting for a reviewer
	StatusApproved  Status = "approved"  // on the public list
	StatusRejected  Status = "rejected"  // a reviewer declined it, with a reason
	StatusWithdrawn Status = "withdrawn" // the contact withdrew an approved signature
	StatusRevoked   Status = "revoked"   // a reviewer removed an approved signature, with a reason
	StatusCancelled Status = "cancelled" // the contact withdrew before a decision
)

// noStatus is the status of a signatory that does not exist: before its application is stored,
// and after it is purged. The audit log records it as an empty from or to status.
const noStatus Status = ""

// AllStatuses lists every status, in lifecycle order, for the reviewers' counts and filter.
var AllStatuses = []Status{
	StatusSubmitted, StatusPending, StatusApproved, StatusRejected, StatusWithdrawn, StatusRevoked, StatusCancelled,
}

// Valid reports whether st is one of AllStatuses.
func (st Status) Valid() bool { return slices.Contains(AllStatuses, st) }

// StatusSet is a set of statuses that the code asks about by name. It is passed to SQL as is:
// "status IN ?" with a StatusSet expands to its members.
type StatusSet []Status

// Has reports whether st is in the set.
func (s StatusSet) Has(st Status) bool { return slices.Contains(s, st) }

// The sets of statuses, each defined here only.
var (
	// OpenStatuses are the applications not yet decided. A contact has at most one open
	// application: applying again with the same email mails its link again instead.
	OpenStatuses = StatusSet{StatusSubmitted, StatusPending}

	// ManageableStatuses are the open applications and the approved signatures: what a contact's
	// manage link may withdraw, and what a new application is compared with for duplicates.
	ManageableStatuses = StatusSet{StatusSubmitted, StatusPending, StatusApproved}

	// PublicPageStatuses are the signatories with a public page: the approved ones, and the
	// withdrawn or revoked ones, whose page says that the signature has ended.
	PublicPageStatuses = StatusSet{StatusApproved, StatusWithdrawn, StatusRevoked}
)

// Action is what an audit event records that someone did.
type Action string

// The actions of the audit log. The values are stored, so they never change.
const (
	ActionSubmitted          Action = "submitted"            // the contact applied
	ActionLinkResent         Action = "link_resent"          // the contact applied again; the link was mailed again
	ActionConfirmed          Action = "confirmed"            // the contact confirmed the email
	ActionManageLinkSent     Action = "manage_link_sent"     // the contact asked for a link to withdraw
	ActionWithdrawn          Action = "withdrawn"            // the contact withdrew (cancelled or withdrawn)
	ActionApproved           Action = "approve"              // a reviewer approved
	ActionRejected           Action = "reject"               // a reviewer rejected, with a reason
	ActionRevoked            Action = "revoke"               // a reviewer revoked, with a reason
	ActionEdited             Action = "edit"                 // a reviewer corrected the public fields
	ActionNoted              Action = "note"                 // a reviewer added an internal note
	ActionPurged             Action = "purged"               // an unconfirmed application was deleted
	ActionAdminCreated       Action = "admin_create"         // an administrator account was created
	ActionAdminDisabled      Action = "admin_disable"        // an administrator account was disabled
	ActionAdminPasswordReset Action = "admin_reset_password" // an administrator's password was reset
	ActionMailFailed         Action = "mail_failed"          // the mail server refused a message for good
	ActionMailResent         Action = "mail_resent"          // a reviewer sent a failed message again
	ActionVersionPublished   Action = "version_published"    // the operator published a version of the charter
	ActionReaffirmRequested  Action = "reaffirm_requested"   // the contact was asked to re-affirm a material version
	ActionReaffirmReminded   Action = "reaffirm_reminded"    // a reviewer reminded the contact to re-affirm
	ActionReaffirmed         Action = "reaffirmed"           // the contact re-affirmed the current version
	ActionDomainVerified     Action = "domain_verified"      // the site found the contact's file on the website's domain
	ActionStatementChanged   Action = "statement_changed"    // the contact changed the commitment statement
	ActionChangeProposed     Action = "change_proposed"      // the contact proposed a new name, website or country
	ActionProposalApproved   Action = "proposal_approved"    // a reviewer approved a proposed change, which was applied
	ActionProposalRejected   Action = "proposal_rejected"    // a reviewer rejected a proposed change, with a reason
	ActionHandoverRequested  Action = "handover_requested"   // the contact named a new contact person, who was mailed a link
	ActionHandedOver         Action = "handed_over"          // the new contact person confirmed and replaced the old one
)

// AllActions lists every action of the audit log.
var AllActions = []Action{
	ActionSubmitted, ActionLinkResent, ActionConfirmed, ActionManageLinkSent, ActionWithdrawn,
	ActionApproved, ActionRejected, ActionRevoked, ActionEdited, ActionNoted, ActionPurged,
	ActionAdminCreated, ActionAdminDisabled, ActionAdminPasswordReset, ActionMailFailed, ActionMailResent,
	ActionVersionPublished, ActionReaffirmRequested, ActionReaffirmReminded, ActionReaffirmed,
	ActionDomainVerified, ActionStatementChanged, ActionChangeProposed, ActionProposalApproved,
	ActionProposalRejected, ActionHandoverRequested, ActionHandedOver,
}

// FlagKind says why an application may be a duplicate or an impersonation.
type FlagKind string

// The kinds of flag shown to reviewers.
const (
	FlagDuplicateEmail      FlagKind = "duplicate_email"       // another signatory has the same contact email
	FlagDuplicateDomain     FlagKind = "duplicate_domain"      // another signatory has the same website domain
	FlagDuplicateName       FlagKind = "duplicate_name"        // another signatory has the same normalised name
	FlagEmailDomainMismatch FlagKind = "email_domain_mismatch" // the contact's email is not on the website's domain
)

// AllFlagKinds lists every kind of flag.
var AllFlagKinds = []FlagKind{FlagDuplicateEmail, FlagDuplicateDomain, FlagDuplicateName, FlagEmailDomainMismatch}

// transition is one edge of the lifecycle: action, taken on a signatory in status from, moves it
// to status to, records when in the column stamp, if any, and appends event to the public log,
// if any (publiclog.go).
type transition struct {
	from   Status
	action Action
	to     Status
	stamp  string
	event  publiclog.Event
}

// transitions is the whole lifecycle. A status change not listed here does not happen.
var transitions = []transition{
	{noStatus, ActionSubmitted, StatusSubmitted, "", ""},
	{StatusSubmitted, ActionConfirmed, StatusPending, "confirmed_at", ""},
	{StatusSubmitted, ActionWithdrawn, StatusCancelled, "", ""},
	{StatusSubmitted, ActionPurged, noStatus, "", ""},
	{StatusPending, ActionWithdrawn, StatusCancelled, "", ""},
	{StatusPending, ActionApproved, StatusApproved, "approved_at", publiclog.EventApproved},
	{StatusPending, ActionRejected, StatusRejected, "rejected_at", ""},
	{StatusApproved, ActionWithdrawn, StatusWithdrawn, "withdrawn_at", publiclog.EventWithdrawn},
	{StatusApproved, ActionRevoked, StatusRevoked, "revoked_at", publiclog.EventRevoked},
}

// ErrTransition is the conflict of an action the lifecycle does not allow from a signatory's
// current status. Callers that expect it (a link already used, a decision already taken) answer
// with their own error.
var ErrTransition = &Error{Kind: KindConflict, Key: "error.transition"}

// lookupTransition returns the transition of action from status from, or ErrTransition.
func lookupTransition(from Status, action Action) (transition, error) {
	for _, t := range transitions {
		if t.from == from && t.action == action {
			return t, nil
		}
	}
	return transition{}, fmt.Errorf("%w: %q from %q", ErrTransition, action, from)
}

// Allows reports whether the lifecycle allows action on a signatory in status st.
func (st Status) Allows(action Action) bool {
	_, err := lookupTransition(st, action)
	return err == nil
}

// forUpdate locks the rows a transaction reads, until it ends, for a read that decides a write:
// a concurrent change then waits, and is read after it commits rather than lost. On PostgreSQL it
// is SELECT … FOR UPDATE; SQLite ignores it, as its writing transactions take turns anyway.
var forUpdate = clause.Locking{Strength: clause.LockingStrengthUpdate}

// changeStatus moves signatory id from status from by action, as the lifecycle allows, setting
// the other columns in set too, and returns the new status. The UPDATE is conditional on from
// (WHERE id = ? AND status = ?), so of two changes racing exactly one applies: the other gets
// changed == false, and must change nothing else. A change the public sees is appended to the
// public log here, in tx, so that no path can change a public status without it.
func changeStatus(tx *gorm.DB, now time.Time, id int64, from Status, action Action, set map[string]any) (to Status, changed bool, err error) {
	t, err := lookupTransition(from, action)
	if err != nil {
		return noStatus, false, err
	}
	changes := map[string]any{"status": t.to, "updated_at": now}
	if t.stamp != "" {
		changes[t.stamp] = now
	}
	for k, v := range set {
		changes[k] = v
	}
	res := tx.Model(&Signatory{}).Where("id = ? AND status = ?", id, from).Updates(changes)
	if res.Error != nil {
		return noStatus, false, res.Error
	}
	if res.RowsAffected != 1 {
		return t.to, false, nil
	}
	if t.event != "" {
		if err := appendSignatoryLog(tx, now, id, t.event); err != nil {
			return noStatus, false, err
		}
	}
	return t.to, true, nil
}
