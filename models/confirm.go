package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// SignatoryForToken returns the signatory a link is for, without changing anything: opening a
// link (as mail scanners do) must never confirm or withdraw. A link whose work is already done,
// by this or another link, counts as used.
func (s *Store) SignatoryForToken(ctx context.Context, raw string, purpose TokenPurpose) (*Signatory, error) {
	db := s.DB.WithContext(ctx)
	t, err := findToken(db, s.Now(), raw, purpose)
	if err != nil {
		return nil, err
	}
	var sig Signatory
	if err := db.Take(&sig, t.SignatoryID).Error; err != nil {
		return nil, err
	}
	if !tokenApplies(purpose, sig.Status) {
		return nil, ErrTokenUsed
	}
	return &sig, nil
}

// tokenApplies reports whether a link of the purpose still has work to do for a signatory in
// the status.
func tokenApplies(purpose TokenPurpose, st Status) bool {
	switch purpose {
	case PurposeConfirm:
		return st.Allows(ActionConfirmed)
	case PurposeManage:
		return ManageableStatuses.Has(st)
	case PurposeReaffirm:
		return st == StatusApproved
	}
	return false
}

// Confirm is the contact's confirmation through the emailed link: in one transaction it consumes
// the token, moves the signatory from submitted to pending, records the audit event and, when
// notifyAdmins is set, queues a notice to every administrator who is not disabled.
func (s *Store) Confirm(ctx context.Context, raw string, notifyAdmins bool, letters Letters) (*Signatory, error) {
	now := s.Now()
	var sig Signatory
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := useToken(tx, now, raw, PurposeConfirm)
		if err != nil {
			return err
		}
		to, changed, err := changeStatus(tx, now, t.SignatoryID, StatusSubmitted, ActionConfirmed, nil)
		if err != nil {
			return err
		}
		if !changed {
			return ErrTokenUsed // confirmed already through another link, or withdrawn
		}
		if err := tx.Take(&sig, t.SignatoryID).Error; err != nil {
			return err
		}
		if err := verifyByEmail(tx, now, &sig); err != nil {
			return err
		}
		if err := recordAudit(tx, &AuditEvent{
			CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID,
			Action: ActionConfirmed, FromStatus: StatusSubmitted, ToStatus: to,
		}); err != nil {
			return err
		}
		if !notifyAdmins {
			return nil
		}
		var admins []struct{ Email, Lang string }
		if err := tx.Table("admins").Select("email", "lang").Where("disabled_at IS NULL").Order("id").
			Scan(&admins).Error; err != nil {
			return err
		}
		for _, a := range admins {
			subject, body := letters.NewApplication(&sig, a.Lang) // each in the administrator's language
			if err := queueMail(tx, now, sig.ID, a.Email, subject, body); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sig, nil
}

// IsTokenError reports whether err says a link is unknown, used or expired, rather than that
// something went wrong.
func IsTokenError(err error) bool {
	return errors.Is(err, ErrTokenUnknown) || errors.Is(err, ErrTokenUsed) || errors.Is(err, ErrTokenExpired)
}
