package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"charter/publiclog"
)

// ReviewFlag is a possible duplicate or impersonation found on an application (a row of
// signatory_flags), with the name of the signatory it resembles (OtherName is empty when there is
// none, or it was purged).
type ReviewFlag struct {
	ID          int64
	SignatoryID int64
	Kind        FlagKind
	OtherID     *int64
	OtherName   string
	OtherStatus Status
	CreatedAt   time.Time
}

// QueuePageSize is how many applications one page of the review queue shows.
const QueuePageSize = 50

// QueueFilter selects applications for the review queue.
type QueueFilter struct {
	Status Status // required
	Query  string // words of the name, optional
	After  int64  // id of the last row of the previous page, 0 for the first page
}

// QueueRow is one application in the review queue, with its flags.
type QueueRow struct {
	Signatory
	Flags []ReviewFlag
}

// ReviewQueue returns one page of signatories in a status, oldest first, optionally those whose
// name contains the words of f.Query. next is the After of the following page, 0 on the last.
func (s *Store) ReviewQueue(ctx context.Context, f QueueFilter) (rows []QueueRow, next int64, err error) {
	db := s.DB.WithContext(ctx)
	q := db.Model(&Signatory{}).Where("status = ?", f.Status)
	if key := NameKey(f.Query); key != "" {
		q = q.Where("name_key LIKE ?", "%"+key+"%")
	}
	if f.After > 0 {
		var last Signatory
		if err := db.Select("id", "created_at").Take(&last, f.After).Error; err != nil {
			return nil, 0, Errorf(KindNotFound, "error.no_such_page")
		}
		q = q.Where("created_at > ? OR (created_at = ? AND id > ?)", last.CreatedAt, last.CreatedAt, last.ID)
	}
	var sigs []Signatory
	if err := q.Order("created_at, id").Limit(QueuePageSize + 1).Find(&sigs).Error; err != nil {
		return nil, 0, err
	}
	if len(sigs) > QueuePageSize {
		sigs = sigs[:QueuePageSize]
		next = sigs[len(sigs)-1].ID
	}
	ids := make([]int64, len(sigs))
	for i, sig := range sigs {
		ids[i] = sig.ID
	}
	flags, err := s.flagsOf(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	rows = make([]QueueRow, len(sigs))
	for i, sig := range sigs {
		rows[i] = QueueRow{Signatory: sig, Flags: flags[sig.ID]}
	}
	return rows, next, nil
}

// CountByStatus returns how many signatories are in each status.
func (s *Store) CountByStatus(ctx context.Context) (map[Status]int64, error) {
	var rows []struct {
		Status Status
		Count  int64
	}
	err := s.DB.WithContext(ctx).Model(&Signatory{}).Select("status, COUNT(*) AS count").Group("status").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	m := make(map[Status]int64, len(rows))
	for _, r := range rows {
		m[r.Status] = r.Count
	}
	return m, nil
}

// flagsOf returns the flags of the given signatories, by signatory id.
func (s *Store) flagsOf(ctx context.Context, ids []int64) (map[int64][]ReviewFlag, error) {
	m := map[int64][]ReviewFlag{}
	if len(ids) == 0 {
		return m, nil
	}
	var flags []ReviewFlag
	err := s.DB.WithContext(ctx).Table("signatory_flags AS f").
		Select("f.id, f.signatory_id, f.kind, f.other_id, f.created_at, COALESCE(o.name, '') AS other_name, COALESCE(o.status, '') AS other_status").
		Joins("LEFT JOIN signatories AS o ON o.id = f.other_id").
		Where("f.signatory_id IN ?", ids).Order("f.id").Scan(&flags).Error
	if err != nil {
		return nil, err
	}
	for _, f := range flags {
		m[f.SignatoryID] = append(m[f.SignatoryID], f)
	}
	return m, nil
}

// FlagsPointingAt returns the flags other applications raised about their resemblance to this
// signatory; in each, OtherID and OtherName are the application that raised it.
func (s *Store) FlagsPointingAt(ctx context.Context, id int64) ([]ReviewFlag, error) {
	var flags []ReviewFlag
	err := s.DB.WithContext(ctx).Table("signatory_flags AS f").
		Select("f.id, f.other_id AS signatory_id, f.kind, f.signatory_id AS other_id, f.created_at, o.name AS other_name, o.status AS other_status").
		Joins("JOIN signatories AS o ON o.id = f.signatory_id").
		Where("f.other_id = ?", id).Order("f.id").Limit(100).Scan(&flags).Error
	return flags, err
}

// SignatoryForReview returns a signatory with its flags and its whole history, oldest first.
func (s *Store) SignatoryForReview(ctx context.Context, id int64) (*Signatory, []ReviewFlag, []AuditEvent, error) {
	db := s.DB.WithContext(ctx)
	var sig Signatory
	if err := db.Take(&sig, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, nil, ErrNotFound
		}
		return nil, nil, nil, err
	}
	flags, err := s.flagsOf(ctx, []int64{id})
	if err != nil {
		return nil, nil, nil, err
	}
	var events []AuditEvent
	if err := db.Where("signatory_id = ?", id).Order("id").Find(&events).Error; err != nil {
		return nil, nil, nil, err
	}
	return &sig, flags[id], events, nil
}

// Decision is a reviewer's decision on one signatory. Letters writes the email its contact gets,
// with the signatory as it is after the change; nil sends none.
type Decision struct {
	SignatoryID int64
	AdminID     int64
	Reason      string
	Letters     Letters
}

// AlreadyDecidedError is the conflict when another reviewer decided first. Status is the
// application's status now, for the reviewer to be told.
type AlreadyDecidedError struct {
	Status Status
}

func (e *AlreadyDecidedError) Error() string {
	return fmt.Sprintf("someone else has already decided: the application is now %s", e.Status)
}

// Unwrap makes it a conflict for KindOf.
func (e *AlreadyDecidedError) Unwrap() error { return errDecided }

var errDecided = &Error{Kind: KindConflict, Key: "error.already_decided"}

// ApproveSignatory puts a pending application on the public list and queues the approval email.
func (s *Store) ApproveSignatory(ctx context.Context, d Decision) (*Signatory, error) {
	return s.decide(ctx, d, StatusPending, ActionApproved)
}

// RejectSignatory declines a pending application with a reason and queues the email saying why.
func (s *Store) RejectSignatory(ctx context.Context, d Decision) (*Signatory, error) {
	if strings.TrimSpace(d.Reason) == "" {
		return nil, Errorf(KindInvalid, "error.reason_reject")
	}
	return s.decide(ctx, d, StatusPending, ActionRejected)
}

// RevokeSignatory removes an approved signatory from the public list with a reason and queues the
// email saying why.
func (s *Store) RevokeSignatory(ctx context.Context, d Decision) (*Signatory, error) {
	if strings.TrimSpace(d.Reason) == "" {
		return nil, Errorf(KindInvalid, "error.reason_revoke")
	}
	return s.decide(ctx, d, StatusApproved, ActionRevoked)
}

// decide takes a reviewer's action on a signatory in status from, moving it as the lifecycle
// says. The UPDATE is conditional on the status it expects, so of two reviewers deciding at once
// exactly one wins; the loser changes nothing and queues no mail.
func (s *Store) decide(ctx context.Context, d Decision, from Status, action Action) (*Signatory, error) {
	now := s.Now()
	reason := strings.TrimSpace(d.Reason)
	var sig Signatory
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(forUpdate).Take(&sig, d.SignatoryID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		if sig.Status != from {
			return &AlreadyDecidedError{Status: sig.Status}
		}
		to, changed, err := changeStatus(tx, now, sig.ID, from, action, map[string]any{"status_reason": reason})
		if err != nil {
			return err
		}
		if !changed {
			// Changed between the read and the update: say what it is now.
			var now Status
			if err := tx.Model(&Signatory{}).Where("id = ?", sig.ID).Select("status").Scan(&now).Error; err != nil {
				return err
			}
			return &AlreadyDecidedError{Status: now}
		}
		sig.Status, sig.StatusReason, sig.UpdatedAt = to, reason, now
		adminID := d.AdminID
		err = recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorAdmin, AdminID: &adminID,
			SignatoryID: &sig.ID, Action: action, FromStatus: from, ToStatus: to, Reason: reason})
		if err != nil {
			return err
		}
		if d.Letters == nil {
			return nil
		}
		var subject, body string
		switch action {
		case ActionApproved:
			subject, body = d.Letters.Approved(&sig)
		case ActionRejected:
			subject, body = d.Letters.Rejected(&sig, reason)
		case ActionRevoked:
			subject, body = d.Letters.Revoked(&sig, reason)
		default:
			return fmt.Errorf("no letter for the decision %q", action)
		}
		return queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
	})
	if err != nil {
		return nil, err
	}
	return &sig, nil
}

// PublicFields are the parts of a signatory the public sees, which a reviewer may correct.
type PublicFields struct {
	Name      string   `json:"name"`
	Category  Category `json:"category"`
	Country   string   `json:"country"`
	Website   string   `json:"website"`
	Statement string   `json:"statement"`
	// WebsiteDomain is the registrable domain of Website, as PublicInput.Normalize gives it.
	WebsiteDomain string `json:"-"`
}

// PublicFieldsOf returns the public fields of sig.
func PublicFieldsOf(sig *Signatory) PublicFields {
	return PublicFields{Name: sig.Name, Category: sig.Category, Country: sig.Country, Website: sig.Website, Statement: sig.Statement}
}

// EditSignatory corrects the public fields of a signatory (from PublicInput.Normalize) and
// records the fields that changed, before and after. The slug stays, so links keep working.
// It reports whether anything changed.
func (s *Store) EditSignatory(ctx context.Context, id, adminID int64, f PublicFields) (bool, error) {
	now := s.Now()
	changed := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signatory
		if err := tx.Clauses(forUpdate).Take(&sig, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		var err error
		changed, err = editPublicFields(tx, now, &sig, f, AuditEvent{Actor: ActorAdmin, AdminID: &adminID, Action: ActionEdited})
		return err
	})
	return changed, err
}

// editPublicFields is the one way the public fields of a stored signatory change: a reviewer's
// edit, an approved proposal (proposal.go) and the contact's new statement all come here. Inside
// tx it writes f over sig's fields, keeps the domain verification as domainAfterEdit says, and
// records the event e (its actor and action; the rest is filled in) with the fields that changed,
// before and after. sig is updated to match. It reports whether anything changed; nothing is
// written or recorded when nothing did.
func editPublicFields(tx *gorm.DB, now time.Time, sig *Signatory, f PublicFields, e AuditEvent) (bool, error) {
	before, after := map[Field]string{}, map[Field]string{}
	diff := func(field Field, old, new string) {
		if old != new {
			before[field], after[field] = old, new
		}
	}
	old := PublicFieldsOf(sig)
	diff(FieldName, old.Name, f.Name)
	diff(FieldCategory, string(old.Category), string(f.Category))
	diff(FieldCountry, old.Country, f.Country)
	diff(FieldWebsite, old.Website, f.Website)
	diff(FieldStatement, old.Statement, f.Statement)
	if len(after) == 0 {
		return false, nil
	}
	set := map[string]any{
		"name": f.Name, "name_key": NameKey(f.Name), "name_skeleton": NameSkeleton(f.Name), "category": f.Category,
		"country": f.Country, "website": f.Website, "website_domain": f.WebsiteDomain, "statement": f.Statement,
		"updated_at": now,
	}
	for k, v := range domainAfterEdit(sig, f.WebsiteDomain, now) {
		set[k] = v
	}
	if err := tx.Model(&Signatory{}).Where("id = ?", sig.ID).Updates(set).Error; err != nil {
		return false, err
	}
	if err := tx.Take(sig, sig.ID).Error; err != nil {
		return false, err
	}
	e.CreatedAt, e.SignatoryID, e.FromStatus, e.ToStatus = now, &sig.ID, sig.Status, sig.Status
	e.Detail = auditDetailJSON(map[string]any{"before": before, "after": after})
	if PublicPageStatuses.Has(sig.Status) {
		// The public saw its fields change (a reviewer's correction, an approved proposal, the
		// contact's new statement): the public log says so.
		if err := appendSignatoryLog(tx, now, sig.ID, publiclog.EventCorrected); err != nil {
			return false, err
		}
	}
	return true, recordAudit(tx, &e)
}

// AddNote records a reviewer's internal note on a signatory in its history. Notes are never shown
// to the public or mailed.
func (s *Store) AddNote(ctx context.Context, id, adminID int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return Errorf(KindInvalid, "error.note_empty")
	}
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signatory
		if err := tx.Select("id", "status").Take(&sig, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return ErrNotFound
			}
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorAdmin, AdminID: &adminID, SignatoryID: &sig.ID,
			Action: ActionNoted, FromStatus: sig.Status, ToStatus: sig.Status, Detail: auditDetailJSON(map[string]any{"note": note})})
	})
}

// auditDetailJSON encodes the detail of an audit event.
func auditDetailJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// SignatoriesByID returns the signatories with the given ids that exist, in id order.
func (s *Store) SignatoriesByID(ctx context.Context, ids []int64) ([]Signatory, error) {
	var sigs []Signatory
	err := s.DB.WithContext(ctx).Where("id IN ?", ids).Order("id").Find(&sigs).Error
	return sigs, err
}
