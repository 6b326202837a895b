package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Handover is a new contact person named on the manage page, waiting for their address to
// confirm through the link mailed to it. Only the SHA-256 of the link's token is stored.
type Handover struct {
	ID           int64
	SignatoryID  int64
	ContactName  string
	ContactRole  string
	ContactEmail string
	Hash         string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	ConfirmedAt  *time.Time
	CancelledAt  *time.Time // a newer hand-over of the same signatory replaced it
}

// TableName is the table of hand-overs.
func (Handover) TableName() string { return "contact_handovers" }

// HandoverOutcome says what RequestHandover did.
type HandoverOutcome int

// The outcomes of RequestHandover.
const (
	HandoverSent    HandoverOutcome = iota // stored, and the link mailed to the new address
	HandoverLimited                        // nothing done: a link went out within LinkInterval, or a mail limit refused
)

// RequestHandover names c as the new contact person of the signatory of the manage link raw
// and mails c's address a link to confirm, in the language lang; a hand-over still waiting is
// cancelled. Nothing changes until the new address confirms (ConfirmHandover). As for the other
// mailed links, one goes out per signatory per LinkInterval, within the mail limits.
func (s *Store) RequestHandover(ctx context.Context, raw string, c Contact, lang string, letters ProposalLetters) (HandoverOutcome, error) {
	now := s.Now()
	outcome := HandoverSent
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sig, err := approvedForToken(tx, now, raw)
		if err != nil {
			return err
		}
		if recent, err := mailedRecently(tx, now, sig.ID, ActionHandoverRequested); err != nil || recent {
			outcome = HandoverLimited
			return err
		}
		if ok, err := takeMailAllowance(tx, now, s.MailLimits, c.Email); err != nil || !ok {
			outcome = HandoverLimited
			return err
		}
		if err := tx.Model(&Handover{}).Where("signatory_id = ? AND confirmed_at IS NULL AND cancelled_at IS NULL", sig.ID).
			Update("cancelled_at", now).Error; err != nil {
			return err
		}
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		token := base64.RawURLEncoding.EncodeToString(b[:])
		h := &Handover{SignatoryID: sig.ID, ContactName: c.Name, ContactRole: c.Role, ContactEmail: c.Email,
			Hash: hashToken(token), CreatedAt: now, ExpiresAt: now.Add(TokenLifetime)}
		if err := tx.Create(h).Error; err != nil {
			return err
		}
		if err := recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID,
			Action: ActionHandoverRequested, FromStatus: sig.Status, ToStatus: sig.Status,
			Detail: contactChange(sig, h)}); err != nil {
			return err
		}
		subject, body := letters.HandoverLink(sig, h, lang, "/handover/"+token)
		return queueMail(tx, now, sig.ID, c.Email, subject, body)
	})
	return outcome, err
}

// contactChange is the audit detail of a hand-over: the contact before and after.
func contactChange(sig *Signatory, h *Handover) string {
	before, after := map[Field]string{}, map[Field]string{}
	for _, c := range []Change{{FieldContactName, sig.ContactName, h.ContactName},
		{FieldContactRole, sig.ContactRole, h.ContactRole}, {FieldContactEmail, sig.ContactEmail, h.ContactEmail}} {
		if c.Old != c.New {
			before[c.Field], after[c.Field] = c.Old, c.New
		}
	}
	return auditDetailJSON(map[string]any{"before": before, "after": after})
}

// findHandover looks a hand-over up by the token of its link and says whether it can still be
// confirmed at now, as findToken does for tokens.
func findHandover(tx *gorm.DB, now time.Time, raw string) (*Handover, error) {
	if len(raw) != 43 {
		return nil, ErrTokenUnknown
	}
	var h Handover
	err := tx.Where("hash = ?", hashToken(raw)).Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrTokenUnknown
	}
	if err != nil {
		return nil, err
	}
	if h.ConfirmedAt != nil || h.CancelledAt != nil {
		return &h, ErrTokenUsed
	}
	if !now.Before(h.ExpiresAt) {
		return &h, ErrTokenExpired
	}
	return &h, nil
}

// HandoverFor returns what a hand-over link is for, without changing anything: mail scanners
// open links.
func (s *Store) HandoverFor(ctx context.Context, raw string) (*Handover, *Signatory, error) {
	db := s.DB.WithContext(ctx)
	h, err := findHandover(db, s.Now(), raw)
	if err != nil {
		return nil, nil, err
	}
	var sig Signatory
	if err := db.Take(&sig, h.SignatoryID).Error; err != nil {
		return nil, nil, err
	}
	if sig.Status != StatusApproved {
		return nil, nil, ErrTokenUsed
	}
	return h, &sig, nil
}

// ConfirmHandover is the new contact's confirmation through their link: in one transaction the
// signatory's contact becomes the new person (whose emails are in lang from now on), every
// manage link of the old contact stops working, the domain is verified if the new address is at
// it, the change is recorded, and the old contact is told. The UPDATE that spends the link is
// conditional, so a link confirms once.
func (s *Store) ConfirmHandover(ctx context.Context, raw, lang string, letters ProposalLetters) (*Signatory, error) {
	now := s.Now()
	var sig Signatory
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		h, err := findHandover(tx, now, raw)
		if err != nil {
			return err
		}
		res := tx.Model(&Handover{}).Where("id = ? AND confirmed_at IS NULL AND cancelled_at IS NULL AND expires_at > ?", h.ID, now).
			Update("confirmed_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrTokenUsed
		}
		if err := tx.Clauses(forUpdate).Take(&sig, h.SignatoryID).Error; err != nil {
			return err
		}
		if sig.Status != StatusApproved {
			return ErrTokenUsed
		}
		old := sig
		if err := tx.Model(&Signatory{}).Where("id = ?", sig.ID).Updates(map[string]any{
			"contact_name": h.ContactName, "contact_role": h.ContactRole, "contact_email": h.ContactEmail,
			"lang": lang, "updated_at": now,
		}).Error; err != nil {
			return err
		}
		sig.ContactName, sig.ContactRole, sig.ContactEmail, sig.Lang, sig.UpdatedAt = h.ContactName, h.ContactRole, h.ContactEmail, lang, now
		// The old contact's manage and re-affirmation links, and any other hand-over still
		// waiting, stop working: the organisation speaks through its new contact now (a reviewer's
		// reminder sends the new contact a link to re-affirm).
		if err := tx.Model(&Token{}).Where("signatory_id = ? AND purpose IN ? AND used_at IS NULL", sig.ID,
			[]TokenPurpose{PurposeManage, PurposeReaffirm}).
			Update("used_at", now).Error; err != nil {
			return err
		}
		if err := tx.Model(&Handover{}).Where("signatory_id = ? AND confirmed_at IS NULL AND cancelled_at IS NULL", sig.ID).
			Update("cancelled_at", now).Error; err != nil {
			return err
		}
		if err := verifyByEmail(tx, now, &sig); err != nil {
			return err
		}
		if err := recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID,
			Action: ActionHandedOver, FromStatus: sig.Status, ToStatus: sig.Status, Detail: contactChange(&old, h)}); err != nil {
			return err
		}
		subject, body := letters.HandedOver(&old, &sig)
		return queueMail(tx, now, sig.ID, old.ContactEmail, subject, body)
	})
	if err != nil {
		return nil, err
	}
	return &sig, nil
}

// WaitingHandover returns the hand-over of a signatory still waiting for its new contact to
// confirm at now, or nil.
func (s *Store) WaitingHandover(ctx context.Context, signatoryID int64) (*Handover, error) {
	var h Handover
	err := s.DB.WithContext(ctx).Where("signatory_id = ? AND confirmed_at IS NULL AND cancelled_at IS NULL AND expires_at > ?",
		signatoryID, s.Now()).Order("id DESC").Take(&h).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// PurgeHandovers deletes the hand-overs whose link has expired: a waiting one holds the address
// of someone who never took over, and a confirmed one is recorded, before and after, in the
// audit log.
func (s *Store) PurgeHandovers(ctx context.Context, now time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Where("expires_at <= ?", now.UTC()).Delete(&Handover{})
	return res.RowsAffected, res.Error
}

// manageLinkedRecently reports whether the signatory's contact was mailed a manage link within
// LinkInterval before now. Links mailed to a contact who has handed over since do not count: the
// new contact may ask for one at once.
func manageLinkedRecently(tx *gorm.DB, now time.Time, signatoryID int64) (bool, error) {
	handedOver := tx.Model(&AuditEvent{}).Select("COALESCE(MAX(id), 0)").
		Where("signatory_id = ? AND action = ?", signatoryID, ActionHandedOver)
	var n int64
	err := tx.Model(&AuditEvent{}).
		Where("signatory_id = ? AND action = ? AND created_at > ? AND id > (?)",
			signatoryID, ActionManageLinkSent, now.Add(-LinkInterval), handedOver).
		Limit(1).Count(&n).Error
	return n > 0, err
}
