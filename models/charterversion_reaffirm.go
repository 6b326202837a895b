package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"charter/publiclog"
)

// Re-affirmation: when a material version of the charter is published, each approved signatory's
// contact is mailed a link; the link's page shows what changed, and its button records that the
// organisation re-affirms the current version. Nobody is removed for not answering: the public
// page says so, and reviewers can remind.
//
// These mails do not take from MailLimits. Those limits stop strangers from using the public forms
// to flood a mailbox; this mail is started by the operator (a published version) or a reviewer
// (a reminder), goes only to the contacts of approved signatures, and is bounded by its own rules:
// one per signature per version, and one reminder per signature per ReminderInterval. The site-wide
// hourly limit would refuse (not delay) all but a few hundred of a mailing to thousands, and
// counting the mailing against it would leave the sign-up form without mail for hours.

// ReaffirmLetters writes the email that asks a contact to re-affirm (views.Emails implements it).
type ReaffirmLetters interface {
	// Reaffirm asks the contact of sig to re-affirm the version v, at path; reminder is set when a
	// reviewer sends it again.
	Reaffirm(sig *Signatory, v *CharterVersion, path string, reminder bool) (subject, body string)
}

// ReaffirmTokenLifetime is how long a re-affirmation link works: longer than other links, as a
// change of the charter is read and discussed inside an organisation before anyone answers.
const ReaffirmTokenLifetime = 30 * 24 * time.Hour

// ReminderInterval is the least time between two mails asking one signatory to re-affirm.
const ReminderInterval = 24 * time.Hour

// reaffirmBatch is how many signatories one transaction of a mailing asks, so that a mailing to
// many does not hold the database's write lock for long.
const reaffirmBatch = 500

// dueWhere selects the approved signatories that have a material version to re-affirm, given
// the versions' upToDate hashes.
const dueWhere = "status = ? AND charter_version NOT IN ? AND reaffirmed_version NOT IN ?"

// RequestReaffirmations mails every approved signatory that has v to re-affirm a link to do so,
// in batches, each committed with its progress (v.MailedThrough), so that running it again after
// an interruption goes on where it stopped and mails nobody twice. It returns how many it mailed.
func (s *Store) RequestReaffirmations(ctx context.Context, v *CharterVersion, letters ReaffirmLetters) (int, error) {
	total := 0
	for {
		n, err := s.requestReaffirmationBatch(ctx, v.ID, letters)
		total += n
		if err != nil || n < reaffirmBatch {
			return total, err
		}
	}
}

func (s *Store) requestReaffirmationBatch(ctx context.Context, versionID int64, letters ReaffirmLetters) (int, error) {
	now := s.Now()
	var n int
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := charterVersionWhere(tx, "id = ?", versionID)
		if err != nil {
			return err
		}
		vs, err := charterVersions(tx)
		if err != nil {
			return err
		}
		ok := vs.upToDate()
		if ok == nil {
			return nil // no material version: nothing to ask
		}
		var sigs []Signatory
		if err := tx.Where(dueWhere+" AND id > ?", StatusApproved, ok, ok, v.MailedThrough).
			Order("id").Limit(reaffirmBatch).Find(&sigs).Error; err != nil {
			return err
		}
		for i := range sigs {
			if err := askToReaffirm(tx, now, &sigs[i], v, letters, nil); err != nil {
				return err
			}
		}
		n = len(sigs)
		if n == 0 {
			return nil
		}
		return tx.Model(&CharterVersion{}).Where("id = ?", v.ID).
			Update("mailed_through", sigs[n-1].ID).Error
	})
	return n, err
}

// askToReaffirm mails sig's contact a new link to re-affirm v, recording it: by the system for a
// published version, by the administrator adminID for a reminder.
func askToReaffirm(tx *gorm.DB, now time.Time, sig *Signatory, v *CharterVersion, letters ReaffirmLetters, adminID *int64) error {
	raw, err := newTokenFor(tx, now, sig.ID, PurposeReaffirm, ReaffirmTokenLifetime)
	if err != nil {
		return err
	}
	e := &AuditEvent{CreatedAt: now, Actor: ActorSystem, SignatoryID: &sig.ID, Action: ActionReaffirmRequested,
		Detail: versionDetail(v)}
	if adminID != nil {
		e.Actor, e.AdminID, e.Action = ActorAdmin, adminID, ActionReaffirmReminded
	}
	if err := recordAudit(tx, e); err != nil {
		return err
	}
	subject, body := letters.Reaffirm(sig, v, "/reaffirm/"+raw, adminID != nil)
	return queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
}

// versionDetail is the audit detail naming a version.
func versionDetail(v *CharterVersion) string {
	b, _ := json.Marshal(map[string]string{"version": v.Label, "hash": v.Hash})
	return string(b)
}

// Reaffirmation is what a re-affirmation link's page shows: whose signature, the version it last
// signed or re-affirmed (From; nil when that text is not a published version), and the current
// one (To), both with their texts.
type Reaffirmation struct {
	Signatory *Signatory
	From      *CharterVersion
	To        *CharterVersion
}

// ReaffirmationFor returns what the re-affirmation link raw is for, without changing anything
// (mail scanners open links). A signature with nothing left to re-affirm makes the link used.
func (s *Store) ReaffirmationFor(ctx context.Context, raw string) (*Reaffirmation, error) {
	sig, err := s.SignatoryForToken(ctx, raw, PurposeReaffirm)
	if err != nil {
		return nil, err
	}
	db := s.DB.WithContext(ctx)
	vs, err := charterVersions(db)
	if err != nil {
		return nil, err
	}
	if !vs.Due(sig.CharterVersion, sig.ReaffirmedVersion) {
		return nil, ErrTokenUsed
	}
	r := &Reaffirmation{Signatory: sig}
	if r.To, err = charterVersionWhere(db, "id = ?", vs.Current().ID); err != nil {
		return nil, err
	}
	from := sig.ReaffirmedVersion
	if from == "" {
		from = sig.CharterVersion
	}
	if v := vs.ByHash(from); v != nil {
		if r.From, err = charterVersionWhere(db, "id = ?", v.ID); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Reaffirm is the contact's re-affirmation through the emailed link: in one transaction it
// consumes the link and records that the signatory re-affirms the current version, now.
func (s *Store) Reaffirm(ctx context.Context, raw string) (*Signatory, *CharterVersion, error) {
	now := s.Now()
	var sig Signatory
	var current CharterVersion
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := useToken(tx, now, raw, PurposeReaffirm)
		if err != nil {
			return err
		}
		if err := tx.Take(&sig, t.SignatoryID).Error; err != nil {
			return err
		}
		vs, err := charterVersions(tx)
		if err != nil {
			return err
		}
		if sig.Status != StatusApproved || !vs.Due(sig.CharterVersion, sig.ReaffirmedVersion) {
			return ErrTokenUsed // withdrawn, revoked, or re-affirmed through another link
		}
		current = *vs.Current()
		res := tx.Model(&Signatory{}).Where("id = ? AND status = ? AND reaffirmed_version = ?", sig.ID, StatusApproved, sig.ReaffirmedVersion).
			Updates(map[string]any{"reaffirmed_version": current.Hash, "reaffirmed_at": now, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrTokenUsed
		}
		sig.ReaffirmedVersion, sig.ReaffirmedAt, sig.UpdatedAt = current.Hash, &now, now
		return recordReaffirmation(tx, now, &sig, &current)
	})
	if err != nil {
		return nil, nil, err
	}
	return &sig, &current, nil
}

// recordReaffirmation records that sig re-affirmed v, in the transaction that stores it: in the
// audit log, and in the public log with the version re-affirmed. It is the one place a
// re-affirmation is recorded.
func recordReaffirmation(tx *gorm.DB, now time.Time, sig *Signatory, v *CharterVersion) error {
	_, err := appendLog(tx, now, LogEvent{Event: publiclog.EventReaffirmed, SignatoryID: sig.ID, Slug: sig.Slug,
		Name: sig.Name, Country: sig.Country, CharterVersion: v.Hash})
	if err != nil {
		return err
	}
	return recordAudit(tx, &AuditEvent{
		CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID, Action: ActionReaffirmed,
		FromStatus: sig.Status, ToStatus: sig.Status, Detail: versionDetail(v),
	})
}

// Why a reminder was not sent.
var (
	ErrReaffirmNotDue        = &Error{Kind: KindConflict, Key: "error.reaffirm_not_due"}
	ErrReaffirmAskedRecently = &Error{Kind: KindConflict, Key: "error.reaffirm_asked_recently"}
)

// RemindReaffirm mails the contact of signatory id, for the administrator adminID, a new link to
// re-affirm the current version: only an approved signatory that has it to re-affirm
// (ErrReaffirmNotDue), and not within ReminderInterval of the last request or reminder
// (ErrReaffirmAskedRecently).
func (s *Store) RemindReaffirm(ctx context.Context, id, adminID int64, letters ReaffirmLetters) error {
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signatory
		if err := tx.Take(&sig, id).Error; err != nil {
			return err
		}
		vs, err := charterVersions(tx)
		if err != nil {
			return err
		}
		if sig.Status != StatusApproved || !vs.Due(sig.CharterVersion, sig.ReaffirmedVersion) {
			return ErrReaffirmNotDue
		}
		var n int64
		if err := tx.Model(&AuditEvent{}).Where("signatory_id = ? AND action IN ? AND created_at > ?", sig.ID,
			[]Action{ActionReaffirmRequested, ActionReaffirmReminded}, now.Add(-ReminderInterval)).
			Limit(1).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrReaffirmAskedRecently
		}
		current, err := charterVersionWhere(tx, "id = ?", vs.Current().ID)
		if err != nil {
			return err
		}
		return askToReaffirm(tx, now, &sig, current, letters, &adminID)
	})
}

// NotReaffirmedPage is a page of the approved signatories that have not re-affirmed the current
// version, for reviewers.
type NotReaffirmedPage struct {
	Current *CharterVersion // nil when no version is published
	Rows    []Signatory
	Next    int64 // the After of the next page; 0 on the last
}

// NotReaffirmedPageSize is the number of signatories on one page of NotReaffirmed.
const NotReaffirmedPageSize = 100

// NotReaffirmed returns the approved signatories, by id after the id after, that have a
// material version to re-affirm.
func (s *Store) NotReaffirmed(ctx context.Context, after int64) (NotReaffirmedPage, error) {
	var p NotReaffirmedPage
	db := s.DB.WithContext(ctx)
	vs, err := charterVersions(db)
	if err != nil {
		return p, err
	}
	p.Current = vs.Current()
	ok := vs.upToDate()
	if ok == nil {
		return p, nil
	}
	if err := db.Where(dueWhere+" AND id > ?", StatusApproved, ok, ok, after).
		Order("id").Limit(NotReaffirmedPageSize + 1).Find(&p.Rows).Error; err != nil {
		return p, err
	}
	if len(p.Rows) > NotReaffirmedPageSize {
		p.Rows = p.Rows[:NotReaffirmedPageSize]
		p.Next = p.Rows[len(p.Rows)-1].ID
	}
	return p, nil
}
