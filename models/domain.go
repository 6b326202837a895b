package models

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A verified domain tells the public that whoever signed for an organisation controls its
// website's registrable domain (WebsiteDomain): its contact confirmed an email address at that
// domain, or put the signatory's token in a file on it. Signatory.VerifiedDomain is "" or equal
// to WebsiteDomain; every change of the website goes through domainAfterEdit, which keeps it so.

// DomainMethod says how a signatory's domain was verified. The values are stored.
type DomainMethod string

// The ways a domain is verified.
const (
	DomainByEmail DomainMethod = "email" // the contact confirmed an address at the domain
	DomainByFile  DomainMethod = "file"  // the site found the signatory's token on the domain
)

// AllDomainMethods lists every way a domain is verified.
var AllDomainMethods = []DomainMethod{DomainByEmail, DomainByFile}

// VerificationPath is where on its domain an organisation puts the token that verifies it.
const VerificationPath = "/.well-known/charter-verification.txt"

// VerificationURL is the address the site fetches to verify domain by a file.
func VerificationURL(domain string) string { return "https://" + domain + VerificationPath }

// DomainVerified reports whether the signatory's website domain is verified.
func (s *Signatory) DomainVerified() bool {
	return s.VerifiedDomain != "" && s.VerifiedDomain == s.WebsiteDomain
}

// emailDomain returns the registrable domain of a stored contact email address, or "".
func emailDomain(email string) string {
	_, host, ok := strings.Cut(email, "@")
	if !ok {
		return ""
	}
	d, err := RegistrableDomain(host)
	if err != nil {
		return ""
	}
	return d
}

// emailVerifies reports whether sig's contact email verifies its website domain: confirmed, and
// at the same registrable domain.
func emailVerifies(sig *Signatory) bool {
	return sig.ConfirmedAt != nil && sig.WebsiteDomain != "" && emailDomain(sig.ContactEmail) == sig.WebsiteDomain
}

// verifyByEmail verifies sig's domain inside tx if its confirmed contact email is at it. Confirm
// calls it as the email is confirmed.
func verifyByEmail(tx *gorm.DB, now time.Time, sig *Signatory) error {
	if sig.DomainVerified() || !emailVerifies(sig) {
		return nil
	}
	set := map[string]any{"verified_domain": sig.WebsiteDomain, "domain_verified_at": now, "domain_verified_by": DomainByEmail}
	if err := tx.Model(&Signatory{}).Where("id = ?", sig.ID).Updates(set).Error; err != nil {
		return err
	}
	sig.VerifiedDomain, sig.DomainVerifiedAt, sig.DomainVerifiedBy = sig.WebsiteDomain, &now, DomainByEmail
	return nil
}

// domainAfterEdit returns the verification columns to set when sig's website domain becomes
// domain: none while the verification still holds; a verification by email if the confirmed
// contact email is at the new domain; otherwise the verification is cleared.
func domainAfterEdit(sig *Signatory, domain string, now time.Time) map[string]any {
	if sig.VerifiedDomain != "" && sig.VerifiedDomain == domain {
		return nil
	}
	after := *sig
	after.WebsiteDomain = domain
	if emailVerifies(&after) {
		return map[string]any{"verified_domain": domain, "domain_verified_at": now, "domain_verified_by": DomainByEmail}
	}
	if sig.VerifiedDomain == "" && sig.DomainVerifiedBy == "" {
		return nil
	}
	return map[string]any{"verified_domain": "", "domain_verified_at": nil, "domain_verified_by": ""}
}

// verifyExistingByEmail is the Go step of migration 0013: it verifies, by email and as of their
// confirmation, the signatories whose confirmed contact email is at their website's registrable
// domain. Running it again changes nothing.
func verifyExistingByEmail(tx *gorm.DB) error {
	var after int64
	for {
		var rows []Signatory
		err := tx.Select("id", "website_domain", "contact_email", "confirmed_at").
			Where("id > ? AND confirmed_at IS NOT NULL AND verified_domain = ''", after).
			Order("id").Limit(rederiveBatch).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		var verified []int64
		for i := range rows {
			after = rows[i].ID
			if emailVerifies(&rows[i]) {
				verified = append(verified, rows[i].ID)
			}
		}
		if len(verified) == 0 {
			continue
		}
		// One statement per batch: the columns it sets are the row's own.
		err = tx.Exec("UPDATE signatories SET verified_domain = website_domain, domain_verified_at = confirmed_at, "+
			"domain_verified_by = ? WHERE id IN ?", DomainByEmail, verified).Error
		if err != nil {
			return err
		}
	}
}

// domainTokenSecret names the key (Store.Secret) that domain verification tokens are made with.
const domainTokenSecret = "domain-verification"

// DomainToken returns the token that verifies sig's website domain by a file: an HMAC of the
// signatory and the domain under a key of the site's own, so it is the same every time it is
// shown (a contact can put it in place and come back later), differs for another domain or
// signatory, and cannot be made by anyone else.
func (s *Store) DomainToken(ctx context.Context, sig *Signatory) (string, error) {
	key, err := s.Secret(ctx, domainTokenSecret)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("charter domain verification\x00" + strconv.FormatInt(sig.ID, 10) + "\x00" + sig.WebsiteDomain))
	sum := mac.Sum(nil)
	return "charter-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:20])), nil
}

// TokenListed reports whether token is one of the lines of a verification file (so that several
// signatories of one domain can each list theirs). Spaces around a line, a byte-order mark and
// CRLF line ends are forgiven.
func TokenListed(file []byte, token string) bool {
	file = bytes.TrimPrefix(file, []byte("\uFEFF"))
	for line := range strings.SplitSeq(string(file), "\n") {
		if strings.TrimSpace(line) == token {
			return true
		}
	}
	return false
}

// The limits of file verification: each check fetches from the outside world, so a signatory and
// a domain each get a few an hour, counted in the database like the mail limits (and in the same
// table), so that concurrent requests and several instances cannot exceed them.
var (
	DomainCheckPerSignatory = MailRate{Count: 5, Period: time.Hour}
	DomainCheckPerDomain    = MailRate{Count: 20, Period: time.Hour}
)

// TakeDomainCheck takes one check of domain for signatory id from the limits, and reports whether
// both allowed it. Either both are counted or neither.
func (s *Store) TakeDomainCheck(ctx context.Context, id int64, domain string) (bool, error) {
	now := s.Now()
	ok := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, l := range []struct {
			key  string
			rate MailRate
		}{
			{"domain-check:signatory:" + strconv.FormatInt(id, 10), DomainCheckPerSignatory},
			{"domain-check:domain:" + domain, DomainCheckPerDomain},
		} {
			taken, err := gcraTake(tx, now, l.key, l.rate)
			if err != nil {
				return err
			}
			if !taken {
				return errMailLimited // rolls back the count already taken
			}
		}
		ok = true
		return nil
	})
	if errors.Is(err, errMailLimited) {
		return false, nil
	}
	return ok, err
}

// ErrDomainChanged is the conflict of a verification whose website changed, or whose signatory
// left the manageable statuses, while its file was being fetched.
var ErrDomainChanged = &Error{Kind: KindConflict, Key: "verify.error.changed"}

// VerifyDomainByFile records that the site found signatory id's token on domain, if domain is
// still its website's and the signature can still be managed, with an audit event.
func (s *Store) VerifyDomainByFile(ctx context.Context, id int64, domain string) error {
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Signatory{}).Where("id = ? AND website_domain = ? AND status IN ?", id, domain, ManageableStatuses).
			Updates(map[string]any{"verified_domain": domain, "domain_verified_at": now, "domain_verified_by": DomainByFile})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return ErrDomainChanged
		}
		var st Status
		if err := tx.Model(&Signatory{}).Where("id = ?", id).Select("status").Scan(&st).Error; err != nil {
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorContact, SignatoryID: &id,
			Action: ActionDomainVerified, FromStatus: st, ToStatus: st, Detail: auditDetailJSON(map[string]any{"domain": domain, "method": DomainByFile})})
	})
}
