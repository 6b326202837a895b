package models

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Self-service (issue 17): the contact of an approved signatory keeps its entry current through
// the emailed manage link. The statement changes at once (proposal_statement.go); a new name,
// website or country is a Proposal that a reviewer approves or rejects (here); a new contact
// person confirms a link of their own first (proposal_handover.go). Every value goes through
// PublicInput.Normalize or ContactInput.Normalize, and every change of the public fields through
// editPublicFields, the path of the reviewer's edit.

// ProposalStatus is where a proposed change stands. The values are stored.
type ProposalStatus string

// The states of a proposal. Only an open one waits for a reviewer.
const (
	ProposalOpen     ProposalStatus = "open"     // waiting for a reviewer
	ProposalApproved ProposalStatus = "approved" // applied to the public entry
	ProposalRejected ProposalStatus = "rejected" // declined, with a reason mailed to the contact
	ProposalReplaced ProposalStatus = "replaced" // the contact proposed again before a decision
)

// Proposal is a change of an approved signatory's name, website or country that its contact
// proposed: the whole proposed values, normalised, and the values public when it was proposed.
type Proposal struct {
	ID            int64
	SignatoryID   int64
	Status        ProposalStatus
	Name          string
	Country       string
	Website       string
	WebsiteDomain string
	OldName       string
	OldCountry    string
	OldWebsite    string
	Reason        string // why a reviewer rejected it
	CreatedAt     time.Time
	DecidedAt     *time.Time
	DecidedBy     *int64
}

// TableName is the table of proposals.
func (Proposal) TableName() string { return "signatory_proposals" }

// proposalFlag is a possible duplicate or impersonation found on a proposal's values.
type proposalFlag struct {
	ID         int64
	ProposalID int64
	Kind       FlagKind
	OtherID    *int64
}

func (proposalFlag) TableName() string { return "proposal_flags" }

// ProposalLetters writes the emails of self-service (views.Emails implements it), each in its
// reader's language.
type ProposalLetters interface {
	// ProposalApproved tells the contact that the change p was approved and is public.
	ProposalApproved(sig *Signatory, p *Proposal) (subject, body string)
	// ProposalRejected tells the contact that the change p was declined, and why.
	ProposalRejected(sig *Signatory, p *Proposal, reason string) (subject, body string)
	// HandoverLink asks a new contact person to confirm, at path, in the language lang.
	HandoverLink(sig *Signatory, h *Handover, lang, path string) (subject, body string)
	// HandedOver tells the old contact (old is the signatory as it was) that the new one, now
	// sig's contact, has taken over.
	HandedOver(old, sig *Signatory) (subject, body string)
}

// ErrNotApproved is the conflict of a self-service change on a signature that is not (or no
// longer) approved: only the public entry of a signatory can be kept current.
var ErrNotApproved = &Error{Kind: KindConflict, Key: "selfservice.error.not_approved"}

// ErrProposalDecided is the conflict of a decision on a proposal that is no longer open: another
// reviewer decided, or the contact proposed again.
var ErrProposalDecided = &Error{Kind: KindConflict, Key: "selfservice.error.decided"}

// ChangeInput is the manage page's proposal as typed: the name, website and country.
type ChangeInput struct {
	Name, Country, Website string
}

// Normalize checks the proposal with PublicInput.Normalize, sig's other fields as they are, and
// returns the public fields as they would be after it, or the problems of its three fields.
func (in ChangeInput) Normalize(sig *Signatory) (PublicFields, FieldErrors) {
	pub, errs := PublicInput{Name: in.Name, Category: string(sig.Category), Country: in.Country,
		Website: in.Website, Statement: sig.Statement}.Normalize()
	errs = onlyFields(errs, FieldName, FieldCountry, FieldWebsite)
	f := PublicFieldsOf(sig)
	f.Name, f.Country, f.Website, f.WebsiteDomain = pub.Name, pub.Country, pub.Website, pub.WebsiteDomain
	return f, errs
}

// onlyFields keeps the problems of the given fields: a form asking for some fields is not told of
// a problem with a stored one it cannot change.
func onlyFields(errs FieldErrors, fields ...Field) FieldErrors {
	var out FieldErrors
	for _, e := range errs {
		if slices.Contains(fields, e.Field) {
			out = append(out, e)
		}
	}
	return out
}

// approvedForToken returns, inside tx, the approved signatory whose manage link raw is, without
// spending the link: ErrTokenUnknown, ErrTokenUsed or ErrTokenExpired for a link that does not
// work, ErrNotApproved for an application not yet decided.
func approvedForToken(tx *gorm.DB, now time.Time, raw string) (*Signatory, error) {
	t, err := findToken(tx, now, raw, PurposeManage)
	if err != nil {
		return nil, err
	}
	var sig Signatory
	if err := tx.Clauses(forUpdate).Take(&sig, t.SignatoryID).Error; err != nil {
		return nil, err
	}
	if !ManageableStatuses.Has(sig.Status) {
		return nil, ErrTokenUsed
	}
	if sig.Status != StatusApproved {
		return nil, ErrNotApproved
	}
	return &sig, nil
}

// ProposeChange stores the contact's proposal of new public fields f (ChangeInput.Normalize) for
// the signatory of the manage link raw, with its flags and an audit event; an open proposal of
// the same signatory is replaced. The public entry does not change. It returns nil when f
// proposes nothing new (the open proposal, if any, stays).
func (s *Store) ProposeChange(ctx context.Context, raw string, f PublicFields) (*Proposal, error) {
	now := s.Now()
	var p *Proposal
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		sig, err := approvedForToken(tx, now, raw)
		if err != nil {
			return err
		}
		if f.Name == sig.Name && f.Country == sig.Country && f.Website == sig.Website {
			return nil
		}
		var replaced []int64
		if err := tx.Model(&Proposal{}).Where("signatory_id = ? AND status = ?", sig.ID, ProposalOpen).
			Pluck("id", &replaced).Error; err != nil {
			return err
		}
		if len(replaced) > 0 {
			if err := tx.Model(&Proposal{}).Where("id IN ?", replaced).
				Updates(map[string]any{"status": ProposalReplaced, "decided_at": now}).Error; err != nil {
				return err
			}
		}
		p = &Proposal{SignatoryID: sig.ID, Status: ProposalOpen, Name: f.Name, Country: f.Country,
			Website: f.Website, WebsiteDomain: f.WebsiteDomain, OldName: sig.Name, OldCountry: sig.Country,
			OldWebsite: sig.Website, CreatedAt: now}
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		if err := flagProposal(tx, sig, p); err != nil {
			return err
		}
		detail := map[string]any{"before": map[Field]string{}, "after": map[Field]string{}}
		for _, d := range p.Changes() {
			detail["before"].(map[Field]string)[d.Field] = d.Old
			detail["after"].(map[Field]string)[d.Field] = d.New
		}
		if len(replaced) > 0 {
			detail["replaced"] = replaced[0]
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID,
			Action: ActionChangeProposed, FromStatus: sig.Status, ToStatus: sig.Status, Detail: auditDetailJSON(detail)})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// flagProposal records which other open or approved signatories the proposal's new values
// resemble (the checks of sign-up, on what the proposal changes), and whether the contact's
// email is off a new website domain.
func flagProposal(tx *gorm.DB, sig *Signatory, p *Proposal) error {
	var checks []duplicateCheck
	if skeleton := NameSkeleton(p.Name); skeleton != sig.NameSkeleton {
		checks = append(checks, duplicateCheck{FlagDuplicateName, "name_skeleton", skeleton})
	}
	domainChanged := p.WebsiteDomain != sig.WebsiteDomain
	if domainChanged {
		checks = append(checks, duplicateCheck{FlagDuplicateDomain, "website_domain", p.WebsiteDomain})
	}
	var flags []proposalFlag
	err := resembling(tx, sig.ID, checks, func(kind FlagKind, other int64) {
		flags = append(flags, proposalFlag{ProposalID: p.ID, Kind: kind, OtherID: &other})
	})
	if err != nil {
		return err
	}
	if domainChanged && emailDomain(sig.ContactEmail) != p.WebsiteDomain {
		flags = append(flags, proposalFlag{ProposalID: p.ID, Kind: FlagEmailDomainMismatch})
	}
	if len(flags) == 0 {
		return nil
	}
	return tx.Create(&flags).Error
}

// Change is one field a proposal changes, with its value before and after.
type Change struct {
	Field    Field
	Old, New string
}

// Changes lists the fields p changes from the values public when it was proposed, in form order.
func (p *Proposal) Changes() []Change {
	return p.ChangesFrom(p.OldName, p.OldCountry, p.OldWebsite)
}

// ChangesFrom lists the fields p would change from the given values, in form order.
func (p *Proposal) ChangesFrom(name, country, website string) []Change {
	var out []Change
	for _, c := range []Change{{FieldName, name, p.Name}, {FieldCountry, country, p.Country}, {FieldWebsite, website, p.Website}} {
		if c.Old != c.New {
			out = append(out, c)
		}
	}
	return out
}

// OpenProposal returns the open proposal of a signatory, or nil.
func (s *Store) OpenProposal(ctx context.Context, signatoryID int64) (*Proposal, error) {
	var p Proposal
	err := s.DB.WithContext(ctx).Where("signatory_id = ? AND status = ?", signatoryID, ProposalOpen).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ProposalRow is one open proposal in the review queue: the proposal, the signatory as it is now
// and the flags of the proposal (OtherName filled in as for applications).
type ProposalRow struct {
	Proposal
	Signatory Signatory
	Flags     []ReviewFlag
}

// Changes lists what approving the proposal would change in the public entry as it is now.
func (r ProposalRow) Changes() []Change {
	return r.Proposal.ChangesFrom(r.Signatory.Name, r.Signatory.Country, r.Signatory.Website)
}

// ProposalQueue returns the open proposals of approved signatories, oldest first, at most
// QueuePageSize, and how many there are in all.
func (s *Store) ProposalQueue(ctx context.Context) ([]ProposalRow, int64, error) {
	db := s.DB.WithContext(ctx)
	open := db.Model(&Proposal{}).Joins("JOIN signatories ON signatories.id = signatory_proposals.signatory_id").
		Where("signatory_proposals.status = ? AND signatories.status = ?", ProposalOpen, StatusApproved)
	var total int64
	if err := open.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	if total == 0 {
		return nil, 0, nil
	}
	var ps []Proposal
	if err := open.Session(&gorm.Session{}).Select("signatory_proposals.*").
		Order("signatory_proposals.created_at, signatory_proposals.id").Limit(QueuePageSize).Find(&ps).Error; err != nil {
		return nil, 0, err
	}
	rows := make([]ProposalRow, len(ps))
	pids, sids := make([]int64, len(ps)), make([]int64, len(ps))
	for i, p := range ps {
		rows[i].Proposal = p
		pids[i], sids[i] = p.ID, p.SignatoryID
	}
	sigs, err := s.SignatoriesByID(ctx, sids)
	if err != nil {
		return nil, 0, err
	}
	var flags []struct {
		ReviewFlag
		ProposalID int64
	}
	err = db.Table("proposal_flags AS f").
		Select("f.id, f.proposal_id, f.kind, f.other_id, COALESCE(o.name, '') AS other_name, COALESCE(o.status, '') AS other_status").
		Joins("LEFT JOIN signatories AS o ON o.id = f.other_id").
		Where("f.proposal_id IN ?", pids).Order("f.id").Scan(&flags).Error
	if err != nil {
		return nil, 0, err
	}
	for i := range rows {
		for _, sig := range sigs {
			if sig.ID == rows[i].SignatoryID {
				rows[i].Signatory = sig
			}
		}
		for _, f := range flags {
			if f.ProposalID == rows[i].ID {
				rows[i].Flags = append(rows[i].Flags, f.ReviewFlag)
			}
		}
	}
	return rows, total, nil
}

// ApproveProposal applies an open proposal to the public entry through editPublicFields (the
// reviewer's edit: its audit event, the domain verification rule), keeps the former name for
// the public page if the name changed, and mails the contact. The UPDATE that closes the
// proposal is conditional on its being open, so of two reviewers approving at once exactly one
// applies it and one mail goes; the other gets ErrProposalDecided and changes nothing.
func (s *Store) ApproveProposal(ctx context.Context, id, adminID int64, letters ProposalLetters) (*Signatory, error) {
	now := s.Now()
	var sig Signatory
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := closeProposal(tx, now, id, adminID, ProposalApproved, "")
		if err != nil {
			return err
		}
		if err := tx.Clauses(forUpdate).Take(&sig, p.SignatoryID).Error; err != nil {
			return err
		}
		if sig.Status != StatusApproved {
			return ErrNotApproved
		}
		f, errs := ChangeInput{Name: p.Name, Country: p.Country, Website: p.Website}.Normalize(&sig)
		if len(errs) > 0 { // stored normalised; only a rule changed since could refuse it
			return Errorf(KindInvalid, "selfservice.error.no_longer_valid")
		}
		oldName := sig.Name
		if _, err := editPublicFields(tx, now, &sig, f, AuditEvent{Actor: ActorAdmin, AdminID: &adminID,
			Action: ActionProposalApproved}); err != nil {
			return err
		}
		if sig.Name != oldName {
			if err := tx.Create(&FormerName{SignatoryID: sig.ID, Name: oldName, Until: now}).Error; err != nil {
				return err
			}
		}
		subject, body := letters.ProposalApproved(&sig, p)
		return queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
	})
	if err != nil {
		return nil, err
	}
	return &sig, nil
}

// RejectProposal declines an open proposal with a reason, which the contact is mailed. The
// public entry keeps its values. Like ApproveProposal, exactly one of two decisions applies.
func (s *Store) RejectProposal(ctx context.Context, id, adminID int64, reason string, letters ProposalLetters) (*Signatory, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, Errorf(KindInvalid, "error.reason_reject")
	}
	now := s.Now()
	var sig Signatory
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := closeProposal(tx, now, id, adminID, ProposalRejected, reason)
		if err != nil {
			return err
		}
		if err := tx.Take(&sig, p.SignatoryID).Error; err != nil {
			return err
		}
		detail := map[string]any{"before": map[Field]string{}, "after": map[Field]string{}}
		for _, d := range p.ChangesFrom(sig.Name, sig.Country, sig.Website) {
			detail["before"].(map[Field]string)[d.Field] = d.Old
			detail["after"].(map[Field]string)[d.Field] = d.New
		}
		if err := recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorAdmin, AdminID: &adminID, SignatoryID: &sig.ID,
			Action: ActionProposalRejected, FromStatus: sig.Status, ToStatus: sig.Status, Reason: reason,
			Detail: auditDetailJSON(detail)}); err != nil {
			return err
		}
		subject, body := letters.ProposalRejected(&sig, p, reason)
		return queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
	})
	if err != nil {
		return nil, err
	}
	return &sig, nil
}

// closeProposal moves open proposal id to status to, inside tx, and returns it. The UPDATE is
// conditional on its being open: ErrProposalDecided if it is not, ErrNotFound if there is none.
func closeProposal(tx *gorm.DB, now time.Time, id, adminID int64, to ProposalStatus, reason string) (*Proposal, error) {
	res := tx.Model(&Proposal{}).Where("id = ? AND status = ?", id, ProposalOpen).
		Updates(map[string]any{"status": to, "decided_at": now, "decided_by": adminID, "reason": reason})
	if res.Error != nil {
		return nil, res.Error
	}
	var p Proposal
	if err := tx.Take(&p, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	if res.RowsAffected != 1 {
		return nil, ErrProposalDecided
	}
	return &p, nil
}
