package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// NormalizeStatement checks a new commitment statement for sig with PublicInput.Normalize (sig's
// other fields as they are) and returns it as stored, or its problem.
func NormalizeStatement(sig *Signatory, raw string) (string, FieldErrors) {
	pub, errs := PublicInput{Name: sig.Name, Category: string(sig.Category), Country: sig.Country,
		Website: sig.Website, Statement: raw}.Normalize()
	return pub.Statement, onlyFields(errs, FieldStatement)
}

// ChangeStatement publishes the contact's new commitment statement (from NormalizeStatement) for
// the signatory of the manage link raw at once, through editPublicFields, which records it
// before and after. The link is not spent. It reports whether the statement changed.
func (s *Store) ChangeStatement(ctx context.Context, raw, statement string) (bool, error) {
	now := s.Now()
	changed := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sig, err := approvedForToken(tx, now, raw)
		if err != nil {
			return err
		}
		f := PublicFieldsOf(sig)
		f.WebsiteDomain, f.Statement = sig.WebsiteDomain, statement
		changed, err = editPublicFields(tx, now, sig, f, AuditEvent{Actor: ActorContact, Action: ActionStatementChanged})
		return err
	})
	return changed, err
}

// FormerName is a name an organisation had until an approved rename (ApproveProposal).
type FormerName struct {
	ID          int64
	SignatoryID int64
	Name        string
	Until       time.Time
}

// TableName is the table of former names.
func (FormerName) TableName() string { return "signatory_former_names" }

// maxFormerNames bounds the former names a public page shows.
const maxFormerNames = 5

// FormerNames returns the names signatory id had before its latest renames, the latest first.
func (s *Store) FormerNames(ctx context.Context, id int64) ([]FormerName, error) {
	var names []FormerName
	err := s.DB.WithContext(ctx).Where("signatory_id = ?", id).Order("until DESC, id DESC").
		Limit(maxFormerNames).Find(&names).Error
	return names, err
}
