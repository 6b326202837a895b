package models

import (
	"time"

	"gorm.io/gorm"
)

// Actor is who caused an audited change.
type Actor string

// The actors of audit events.
const (
	ActorSystem  Actor = "system"
	ActorContact Actor = "contact"
	ActorAdmin   Actor = "admin"
)

// AuditEvent is one entry of the append-only audit log. The table refuses updates and deletes
// (see the triggers in migrations/0001_init.sql), and this package has no code that tries.
type AuditEvent struct {
	ID          int64
	CreatedAt   time.Time
	Actor       Actor
	AdminID     *int64
	SignatoryID *int64
	Action      Action
	FromStatus  Status
	ToStatus    Status
	Reason      string
	Detail      string
}

// recordAudit appends e to the audit log inside tx, so that the event commits or rolls back with
// the change it describes.
func recordAudit(tx *gorm.DB, e *AuditEvent) error {
	return tx.Create(e).Error
}

// AllEditedFields lists the public fields a reviewer may edit, in the order of the form. The
// detail of an edit records each changed one's value before and after, under its Field name.
var AllEditedFields = []Field{FieldName, FieldCategory, FieldCountry, FieldWebsite, FieldStatement}
