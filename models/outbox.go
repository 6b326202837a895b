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
	LastError     string
	SentAt        *time.Time
}

// TableName is the table of outgoing mail.
func (OutboxMessage) TableName() string { return "outbox" }

// queueMail adds a message to the outbox inside tx, due now.
func queueMail(tx *gorm.DB, now time.Time, to, subject, body string) error {
	return tx.Create(&OutboxMessage{
		CreatedAt:     now,
		ToAddr:        to,
		Subject:       subject,
		Body:          body,
		NextAttemptAt: now,
	}).Error
}
