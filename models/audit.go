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

// EditedField names a public field in the detail of an edit, which records each changed field's
// value before and after.
type EditedField string

// The public fields a reviewer may edit. The values are stored, so they never change.
const (
	FieldName      EditedField = "name"
	FieldCategory  EditedField = "category"
	FieldCountry   EditedField = "country"
	FieldWebsite   EditedField = "website"
	FieldStatement EditedField = "statement"
)

// AllEditedFields lists the editable public fields in the order of the form.
var AllEditedFields = []EditedField{FieldName, FieldCategory, FieldCountry, FieldWebsite, FieldStatement}
