package models

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Application is a sign-up that has passed ApplicationInput.Normalize: the website and the
// email are normalised (NormalizeWebsite, NormalizeEmail) and the domains are registrable domains.
type Application struct {
	PublicFields
	ContactName        string
	ContactRole        string
	ContactEmail       string
	ContactEmailDomain string
	// Lang is the language of the page the application was made on ("" means English).
	Lang string
}

// SignatoryFlag is a possible duplicate or impersonation found when an application arrived.
// OtherID is the signatory it resembles, if any.
type SignatoryFlag struct {
	ID          int64
	SignatoryID int64
	Kind        FlagKind
	OtherID     *int64
	CreatedAt   time.Time
}

// SubmitOutcome says what Submit did. The person who applied is told the same either way, so
// that the form does not reveal whether an address has applied before.
type SubmitOutcome int

// The outcomes of Submit.
const (
	SubmitCreated     SubmitOutcome = iota // a new application, with its confirmation link mailed
	SubmitResent                           // an open application had this email: its link was mailed again
	SubmitLimited                          // an open application had this email and was mailed too recently
	SubmitMailLimited                      // stored or found, but a mail limit (MailLimits) refused the mail
)

// maxFlagsPerKind bounds the flags of one kind, should many signatories share, say, a domain.
const maxFlagsPerKind = 5

// Submit stores a new application in state submitted, signed against charterVersion, with its
// duplicate flags, a confirmation token, an audit event and the confirmation email, all in one
// transaction. If an application with the same contact email is already open, nothing new is
// stored: the link is mailed again instead (at most once per LinkInterval).
func (s *Store) Submit(ctx context.Context, app Application, charterVersion string, letters Letters) (SubmitOutcome, error) {
	now := s.Now()
	outcome := SubmitCreated
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		applied, err := lookupTransition(noStatus, ActionSubmitted)
		if err != nil {
			return err
		}
		// Another instance may store the same email's application, or take the same slug, between
		// the reads below and the insert: the unique indexes refuse the second insert, and the
		// reads run again, to find that application or the next free slug.
		var sig *Signatory
		for attempt := 1; sig == nil; attempt++ {
			var open Signatory
			err := tx.Where("contact_email = ? AND status IN ?", app.ContactEmail, OpenStatuses).
				Order("id").Take(&open).Error
			if err == nil {
				outcome, err = resendLink(tx, now, s.MailLimits, &open, letters)
				return err
			}
			if !errors.Is(err, gorm.ErrRecordNotFound) {
				return err
			}
			slug, err := uniqueSlug(tx, app.Name)
			if err != nil {
				return err
			}
			sig = newApplication(app, slug, applied.to, charterVersion, now)
			err = insertOnce(tx, sig)
			if isUniqueViolation(err) && attempt < maxInsertAttempts {
				sig = nil
				continue
			}
			if err != nil {
				return err
			}
		}
		if err := flagDuplicates(tx, now, sig, app.ContactEmailDomain); err != nil {
			return err
		}
		if err := recordAudit(tx, &AuditEvent{
			CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID,
			Action: applied.action, ToStatus: applied.to,
		}); err != nil {
			return err
		}
		mailed, err := mailConfirmLink(tx, now, s.MailLimits, sig, letters)
		if err == nil && !mailed {
			outcome = SubmitMailLimited
		}
		return err
	})
	return outcome, err
}

// maxInsertAttempts bounds how often Submit reads again after a unique index refused its insert:
// each refusal means another application was stored meanwhile.
const maxInsertAttempts = 10

// newApplication is the row of a new application.
func newApplication(app Application, slug string, status Status, charterVersion string, now time.Time) *Signatory {
	return &Signatory{
		Slug:           slug,
		Name:           app.Name,
		NameKey:        NameKey(app.Name),
		NameSkeleton:   NameSkeleton(app.Name),
		Category:       app.Category,
		Country:        app.Country,
		Website:        app.Website,
		WebsiteDomain:  app.WebsiteDomain,
		Statement:      app.Statement,
		ContactName:    app.ContactName,
		ContactRole:    app.ContactRole,
		ContactEmail:   app.ContactEmail,
		Status:         status,
		CharterVersion: charterVersion,
		Lang:           cmp.Or(app.Lang, "en"),
		CreatedAt:      now,
		UpdatedAt:      now,
	}
}

// insertOnce inserts row in a savepoint, so that the transaction goes on if the insert is refused
// (PostgreSQL aborts a transaction at its first error).
func insertOnce(tx *gorm.DB, row any) error {
	return tx.Transaction(func(sp *gorm.DB) error { return sp.Create(row).Error })
}

// resendLink answers a second application from the contact of an open one: a fresh confirmation
// link if it is still unconfirmed, a note that it awaits review if it is pending. Nothing is sent
// (or recorded) when the signatory was mailed within LinkInterval or the mail limits refuse.
func resendLink(tx *gorm.DB, now time.Time, limits MailLimits, sig *Signatory, letters Letters) (SubmitOutcome, error) {
	recent, err := mailedRecently(tx, now, sig.ID, ActionSubmitted, ActionConfirmed, ActionLinkResent)
	if err != nil || recent {
		return SubmitLimited, err
	}
	if ok, err := takeMailAllowance(tx, now, limits, sig.ContactEmail); err != nil || !ok {
		return SubmitMailLimited, err
	}
	if err := recordAudit(tx, &AuditEvent{
		CreatedAt: now, Actor: ActorContact, SignatoryID: &sig.ID, Action: ActionLinkResent,
	}); err != nil {
		return 0, err
	}
	if sig.Status == StatusSubmitted {
		return SubmitResent, queueConfirmLink(tx, now, sig, letters)
	}
	subject, body := letters.AlreadyPending(sig)
	return SubmitResent, queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
}

// mailConfirmLink queues the confirmation link of a new application, if the mail limits allow
// it, and reports whether it did. Refused, the application stays unconfirmed with no link: its
// contact can ask for one on the resend form, and it is purged after UnconfirmedLifetime.
func mailConfirmLink(tx *gorm.DB, now time.Time, limits MailLimits, sig *Signatory, letters Letters) (bool, error) {
	if ok, err := takeMailAllowance(tx, now, limits, sig.ContactEmail); err != nil || !ok {
		return false, err
	}
	return true, queueConfirmLink(tx, now, sig, letters)
}

// queueConfirmLink makes a confirmation token and queues the email that carries it.
func queueConfirmLink(tx *gorm.DB, now time.Time, sig *Signatory, letters Letters) error {
	raw, err := newToken(tx, now, sig.ID, PurposeConfirm)
	if err != nil {
		return err
	}
	subject, body := letters.ConfirmLink(sig, "/confirm/"+raw)
	return queueMail(tx, now, sig.ID, sig.ContactEmail, subject, body)
}

// ResendConfirmation mails a new confirmation link if an unconfirmed application has this contact
// email, at most once per LinkInterval. Whatever it finds, the caller says the same thing.
func (s *Store) ResendConfirmation(ctx context.Context, email string, letters Letters) error {
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var sig Signatory
		err := tx.Where("contact_email = ? AND status = ?", email, StatusSubmitted).Order("id").Take(&sig).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = resendLink(tx, now, s.MailLimits, &sig, letters)
		return err
	})
}

// uniqueSlug makes a slug from the name that no signatory has yet: the name's slug, then with -2,
// -3 … and, if many organisations share the name, a random suffix. Names with no Latin or
// Cyrillic letters get "org".
func uniqueSlug(tx *gorm.DB, name string) (string, error) {
	base := Slugify(name)
	if base == "" {
		base = "org"
	}
	for i := 1; i <= 20; i++ {
		slug := base
		if i > 1 {
			slug = fmt.Sprintf("%s-%d", base, i)
		}
		if i == 20 {
			var b [4]byte
			if _, err := rand.Read(b[:]); err != nil {
				return "", err
			}
			slug = base + "-" + hex.EncodeToString(b[:])
		}
		var n int64
		if err := tx.Model(&Signatory{}).Where("slug = ?", slug).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return slug, nil
		}
	}
	return "", errors.New("no free slug") // unreachable in practice: the random suffix is free
}

// duplicateCheck is one way a signatory may resemble another: the same value in column.
type duplicateCheck struct {
	kind   FlagKind
	column string
	value  string
}

// resembling returns, for each check, the open or approved signatories other than id that have
// its value (at most maxFlagsPerKind each).
func resembling(tx *gorm.DB, id int64, checks []duplicateCheck, found func(kind FlagKind, other int64)) error {
	for _, c := range checks {
		var ids []int64
		err := tx.Model(&Signatory{}).
			Where(c.column+" = ? AND id <> ? AND status IN ?", c.value, id, ManageableStatuses).
			Order("id").Limit(maxFlagsPerKind).Pluck("id", &ids).Error
		if err != nil {
			return err
		}
		for _, other := range ids {
			found(c.kind, other)
		}
	}
	return nil
}

// flagDuplicates records which open or approved signatories the new one resembles, and whether
// its contact's email is on another domain than its website.
func flagDuplicates(tx *gorm.DB, now time.Time, sig *Signatory, emailDomain string) error {
	checks := []duplicateCheck{
		{FlagDuplicateEmail, "contact_email", sig.ContactEmail},
		{FlagDuplicateDomain, "website_domain", sig.WebsiteDomain},
		{FlagDuplicateName, "name_skeleton", sig.NameSkeleton},
	}
	var flags []SignatoryFlag
	err := resembling(tx, sig.ID, checks, func(kind FlagKind, other int64) {
		flags = append(flags, SignatoryFlag{SignatoryID: sig.ID, Kind: kind, OtherID: &other, CreatedAt: now})
	})
	if err != nil {
		return err
	}
	if emailDomain != sig.WebsiteDomain {
		flags = append(flags, SignatoryFlag{SignatoryID: sig.ID, Kind: FlagEmailDomainMismatch, CreatedAt: now})
	}
	if len(flags) == 0 {
		return nil
	}
	return tx.Create(&flags).Error
}

// Flags returns the flags recorded for a signatory, oldest first.
func (s *Store) Flags(ctx context.Context, signatoryID int64) ([]SignatoryFlag, error) {
	var flags []SignatoryFlag
	err := s.DB.WithContext(ctx).Where("signatory_id = ?", signatoryID).Order("id").Find(&flags).Error
	return flags, err
}

// openApplicationsUnique refuses to go on if a contact email has more than one open application,
// which the unique index of migration 0018 cannot hold. One process with SQLite's write queue
// never stored such a pair; should a database hold one, the operator decides which to keep (an
// administrator rejects the other) rather than the migration choosing silently.
func openApplicationsUnique(tx *gorm.DB) error {
	var dups []struct {
		ContactEmail string
		IDs          string
	}
	err := tx.Raw("SELECT contact_email, "+dialectOfTx(tx).groupIDs("id")+" AS ids FROM signatories "+
		"WHERE status IN ? GROUP BY contact_email HAVING COUNT(*) > 1 ORDER BY contact_email LIMIT 20",
		OpenStatuses).Scan(&dups).Error
	if err != nil || len(dups) == 0 {
		return err
	}
	var lines []string
	for _, d := range dups {
		lines = append(lines, "signatories "+d.IDs)
	}
	return fmt.Errorf("some contacts have more than one open application (submitted or pending); "+
		"keep one of each and reject or withdraw the others, then start again: %s", strings.Join(lines, "; "))
}
