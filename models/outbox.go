package models

import (
	"time"

	"gorm.io/gorm"
)

// OutboxMessage is an email waiting to be sent, or sent. It is written in the same transaction as
// the change it tells of, so no notification is lost when SMTP is down or the process dies; a
// worker delivers it and sets SentAt only once an SMTP server has accepted it.
type OutboxMessage struct {
	ID            int64
	CreatedAt     time.Time
	ToAddr        string
	Subject       string
	Body          string
	Attempts      int
	NextAttemptAt time.Time
	// LastError is the classified reason of the last failed attempt (mail.Classify), never the
	// server's own words, which name the recipient.
	LastError string
	SentAt    *time.Time
	// FailedAt is set when delivery was given up: a permanent refusal, or too long undelivered.
	// Such mail waits for an administrator to send it again (the console's failed-mail page).
	FailedAt *time.Time
	// SignatoryID is the signatory the message is about, if any.
	SignatoryID *int64
}

// TableName is the table of outgoing mail.
func (OutboxMessage) TableName() string { return "outbox" }

// queueMail adds a message about a signatory to the outbox inside tx, due now. The link to the
// signatory lets the purge of an unconfirmed application delete its mail too, and the failed-mail
// page say whom a message was about.
func queueMail(tx *gorm.DB, now time.Time, signatoryID int64, to, subject, body string) error {
	return tx.Create(&OutboxMessage{
		SignatoryID:   &signatoryID,
		CreatedAt:     now,
		ToAddr:        to,
		Subject:       subject,
		Body:          body,
		NextAttemptAt: now,
	}).Error
}
