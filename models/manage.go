package models

import (
	"context"

	"gorm.io/gorm"
)

// RequestManageLink mails a link to withdraw the signature to the contact of every open or
// approved signatory with this contact email, at most once per LinkInterval each and within the
// mail limits (MailLimits). The caller
// answers the same whether or not anything was found.
func (s *Store) RequestManageLink(ctx context.Context, email string, letters Letters) error {
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sigs []Signatory
		err := tx.Where("contact_email = ? AND status IN ?", email, ManageableStatuses).
			Order("id").Limit(10).Find(&sigs).Error
		if err != nil {
			return err
		}
		for i := range sigs {
			sig := &sigs[i]
			recent, err := manageLinkedRecently(tx, now, sig.ID)
			if err != nil {
				return err
			}
			if recent {
				continue
			}
			if ok, err := takeMailAllowance(tx, now, s.MailLimits, sig.ContactEmail); err != nil {
				return err
			} else if !ok {
				continue
			}
			raw, err := newToken(tx, now, sig.ID, PurposeManage)
			if err != nil {
				return err
			}
			if err := recordAudit(tx, &AuditEvent{
				CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID, Action: ActionManageLinkSent,
			}); err != nil {
				return err
			}
			subject, body := letters.ManageLink(sig, "/manage/"+raw)
			if err := queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body); err != nil {
				return err
			}
		}
		return nil
	})
}

// Withdraw is the contact's withdrawal through the emailed manage link: an application not yet
// decided becomes cancelled, an approved signature becomes withdrawn (and leaves the public
// list). The token is consumed, and the audit event and the confirming email commit with it.
func (s *Store) Withdraw(ctx context.Context, raw string, letters Letters) (*Signatory, error) {
	now := s.Now()
	var sig Signatory
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := useToken(tx, now, raw, PurposeManage)
		if err != nil {
			return err
		}
		if err := tx.Clauses(forUpdate).Take(&sig, t.SignatoryID).Error; err != nil {
			return err
		}
		from := sig.Status
		if !from.Allows(ActionWithdrawn) {
			return ErrTokenUsed // already withdrawn, or decided by a reviewer
		}
		to, changed, err := changeStatus(tx, now, sig.ID, from, ActionWithdrawn, nil)
		if err != nil {
			return err
		}
		if !changed {
			return ErrTokenUsed
		}
		sig.Status, sig.UpdatedAt = to, now
		if to == StatusWithdrawn {
			sig.WithdrawnAt = &now
		}
		if err := recordAudit(tx, &AuditEvent{
			CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID,
			Action: ActionWithdrawn, FromStatus: from, ToStatus: to,
		}); err != nil {
			return err
		}
		subject, body := letters.Withdrawn(&sig)
		return queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
	})
	if err != nil {
		return nil, err
	}
	return &sig, nil
}

// SetLang changes the language of a contact's emails (a code such as "ru", which the caller has
// checked) through the emailed manage link. The link is not spent: it stays good for withdrawing.
// Nothing is recorded in the audit log, as it records what happens to the signature, and the
// language of its mail is not part of that.
func (s *Store) SetLang(ctx context.Context, raw, lang string) error {
	sig, err := s.SignatoryForToken(ctx, raw, PurposeManage)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Model(&Signatory{}).Where("id = ?", sig.ID).UpdateColumn("lang", lang).Error
}
