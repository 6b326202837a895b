package models

import (
	"time"

	"gorm.io/gorm"
)

// Letters writes every email the site sends. The words live in views (views.Emails implements
// this), which this package cannot import; each letter is written in its reader's language (the
// signatory's Lang, or the administrator's, given); links are given as paths such as "/confirm/TOKEN" and
// the writer makes them absolute. Each is called inside the transaction of the change it tells
// of, so the message commits with it.
type Letters interface {
	// ConfirmLink asks the contact to confirm an application, at path.
	ConfirmLink(sig *Signatory, path string) (subject, body string)
	// AlreadyPending tells a contact who applied again that the application is already waiting
	// for review.
	AlreadyPending(sig *Signatory) (subject, body string)
	// NewApplication tells an administrator that a confirmed application waits for review, in
	// the administrator's language (a code such as "en").
	NewApplication(sig *Signatory, lang string) (subject, body string)
	// ManageLink gives the contact the link to withdraw the signature, at path.
	ManageLink(sig *Signatory, path string) (subject, body string)
	// Withdrawn confirms to the contact that the signature or application was withdrawn.
	Withdrawn(sig *Signatory) (subject, body string)
	// Approved tells the contact that a reviewer approved the signature.
	Approved(sig *Signatory) (subject, body string)
	// Rejected tells the contact that a reviewer declined the application, and why.
	Rejected(sig *Signatory, reason string) (subject, body string)
	// Revoked tells the contact that a reviewer removed the signature from the list, and why.
	Revoked(sig *Signatory, reason string) (subject, body string)
}

// LinkInterval is the least time between two emailed links for the same signatory, so that the
// forms cannot be used to flood someone's mailbox.
const LinkInterval = 10 * time.Minute

// mailedRecently reports whether one of the audit actions (each of which mails the contact) was
// recorded for the signatory within LinkInterval before now. The audit log is in the database,
// so the limit holds across restarts and across instances.
func mailedRecently(tx *gorm.DB, now time.Time, signatoryID int64, actions ...Action) (bool, error) {
	var n int64
	err := tx.Model(&AuditEvent{}).
		Where("signatory_id = ? AND action IN ? AND created_at > ?", signatoryID, actions, now.Add(-LinkInterval)).
		Limit(1).Count(&n).Error
	return n > 0, err
}
