package models

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Admin is an administrator: a reviewer who signs in to the console. Administrators are created
// from the command line only.
type Admin struct {
	ID           int64
	Email        string
	PasswordHash string
	CreatedAt    time.Time
	LastLoginAt  *time.Time
	FailedLogins int
	LockedUntil  *time.Time
	DisabledAt   *time.Time
}

// Active reports whether the administrator may sign in (at some point: a lock-out passes).
func (a *Admin) Active() bool { return a.DisabledAt == nil }

// checkAdminEmail trims an administrator's email address and checks it is one.
func checkAdminEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email, "@") {
		return "", Errorf(KindInvalid, "%q is not an email address such as reviewer@example.org", email)
	}
	return email, nil
}

// CreateAdmin adds an administrator with the given email and password.
func (s *Store) CreateAdmin(ctx context.Context, email, password string) (*Admin, error) {
	email, err := checkAdminEmail(email)
	if err != nil {
		return nil, err
	}
	if err := ValidatePassword(password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	a := &Admin{Email: email, PasswordHash: hash, CreatedAt: s.Now()}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Admin{}).Where("email = ?", email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return Errorf(KindConflict, "an administrator with the email %s already exists", email)
		}
		if err := tx.Create(a).Error; err != nil {
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: a.CreatedAt, Actor: ActorSystem, Action: ActionAdminCreated,
			Detail: auditDetailJSON(map[string]any{"admin_id": a.ID})})
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Admins lists every administrator, disabled ones included, by email.
func (s *Store) Admins(ctx context.Context) ([]Admin, error) {
	var as []Admin
	err := s.DB.WithContext(ctx).Order("email").Find(&as).Error
	return as, err
}

// CountActiveAdmins is the number of administrators who are not disabled.
func (s *Store) CountActiveAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&Admin{}).Where("disabled_at IS NULL").Count(&n).Error
	return n, err
}

// AdminEmails maps the ids of every administrator to their email, for showing who did what.
func (s *Store) AdminEmails(ctx context.Context) (map[int64]string, error) {
	as, err := s.Admins(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(as))
	for _, a := range as {
		m[a.ID] = a.Email
	}
	return m, nil
}

// adminByEmail finds an administrator, disabled or not; KindNotFound if there is none.
func adminByEmail(tx *gorm.DB, email string) (*Admin, error) {
	var a Admin
	err := tx.Where("email = ?", strings.TrimSpace(email)).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(KindNotFound, "there is no administrator with the email %s", email)
	}
	return &a, err
}

// DisableAdmin stops an administrator from signing in and ends their sessions. The record stays,
// so the audit log still says who did what.
func (s *Store) DisableAdmin(ctx context.Context, email string) error {
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := adminByEmail(tx, email)
		if err != nil {
			return err
		}
		if err := tx.Model(a).Update("disabled_at", now).Error; err != nil {
			return err
		}
		if err := tx.Where("admin_id = ?", a.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorSystem, Action: ActionAdminDisabled,
			Detail: auditDetailJSON(map[string]any{"admin_id": a.ID})})
	})
}

// ResetAdminPassword sets a new password, lifts any lock-out and ends the administrator's
// sessions, so whoever knew the old password is signed out.
func (s *Store) ResetAdminPassword(ctx context.Context, email, password string) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := adminByEmail(tx, email)
		if err != nil {
			return err
		}
		err = tx.Model(a).Updates(map[string]any{"password_hash": hash, "failed_logins": 0, "locked_until": nil}).Error
		if err != nil {
			return err
		}
		if err := tx.Where("admin_id = ?", a.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorSystem, Action: ActionAdminPasswordReset,
			Detail: auditDetailJSON(map[string]any{"admin_id": a.ID})})
	})
}

// Lock-out: after accountFreeTries failed sign-ins in a row an account is locked, first for
// lockBase, doubling with each further failure up to lockMax. A client address gets more tries,
// since several reviewers may share one office address, and its count starts again after an
// hour without failures.
const (
	accountFreeTries = 5
	addressFreeTries = 20
	addressWindow    = time.Hour
	lockBase         = time.Minute
	lockMax          = time.Hour
)

// lockBackoff is how long to lock after the given number of failures beyond the free tries.
func lockBackoff(over int) time.Duration {
	d := lockBase
	for i := 0; i < over && d < lockMax; i++ {
		d *= 2
	}
	return min(d, lockMax)
}

// ErrLoginFailed is the one answer to a wrong password, an unknown or disabled email and a locked
// account alike, so that the answer tells a guesser nothing about which accounts exist.
var ErrLoginFailed = Errorf(KindForbidden, "login failed")

// ErrLoginThrottled means too many sign-ins failed from this client address; it says nothing
// about any account.
var ErrLoginThrottled = Errorf(KindForbidden, "too many failed sign-ins from this address")

// dummyHash is checked against when the email is unknown, so that the answer takes as long as
// for a known email with a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not the password of anyone")
	if err != nil {
		panic(err)
	}
	return h
})

// LoginThrottle is the failed sign-ins counted against one client address.
type LoginThrottle struct {
	ClientAddr    string `gorm:"primaryKey"`
	Failures      int
	LastFailureAt time.Time
	LockedUntil   *time.Time
}

// TableName is the table of per-address counters.
func (LoginThrottle) TableName() string { return "login_throttle" }

// Login checks an administrator's email and password, coming from clientAddr. It returns the
// administrator, ErrLoginThrottled when the address is locked out, or ErrLoginFailed for every
// other failure. Failures count towards the lock-out of the account and of the address.
func (s *Store) Login(ctx context.Context, email, password, clientAddr string) (*Admin, error) {
	now := s.Now()
	db := s.DB.WithContext(ctx)
	var th LoginThrottle
	err := db.Where("client_addr = ?", clientAddr).Take(&th).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	if th.LockedUntil != nil && th.LockedUntil.After(now) {
		return nil, ErrLoginThrottled
	}

	var a *Admin
	var found Admin
	err = db.Where("email = ? AND disabled_at IS NULL", strings.TrimSpace(email)).Take(&found).Error
	switch {
	case err == nil:
		a = &found
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	// Always run the hash, even when the answer is already known to be no.
	hash := dummyHash()
	if a != nil {
		hash = a.PasswordHash
	}
	ok, err := checkPassword(hash, password)
	if err != nil {
		return nil, err
	}
	locked := a != nil && a.LockedUntil != nil && a.LockedUntil.After(now)

	if a != nil && ok && !locked {
		err := db.Transaction(func(tx *gorm.DB) error {
			err := tx.Model(a).Updates(map[string]any{"failed_logins": 0, "locked_until": nil, "last_login_at": now}).Error
			if err != nil {
				return err
			}
			return tx.Where("client_addr = ?", clientAddr).Delete(&LoginThrottle{}).Error
		})
		if err != nil {
			return nil, err
		}
		a.LastLoginAt = &now
		return a, nil
	}

	err = db.Transaction(func(tx *gorm.DB) error {
		if a != nil && !locked {
			if err := countAccountFailure(tx, a.ID, now); err != nil {
				return err
			}
		}
		return countAddressFailure(tx, clientAddr, now)
	})
	if err != nil {
		return nil, err
	}
	return nil, ErrLoginFailed
}

func countAccountFailure(tx *gorm.DB, adminID int64, now time.Time) error {
	var a Admin
	if err := tx.Take(&a, adminID).Error; err != nil {
		return err
	}
	a.FailedLogins++
	updates := map[string]any{"failed_logins": a.FailedLogins}
	if a.FailedLogins >= accountFreeTries {
		updates["locked_until"] = now.Add(lockBackoff(a.FailedLogins - accountFreeTries))
	}
	return tx.Model(&a).Updates(updates).Error
}

func countAddressFailure(tx *gorm.DB, addr string, now time.Time) error {
	var th LoginThrottle
	err := tx.Where("client_addr = ?", addr).Take(&th).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	if err != nil || now.Sub(th.LastFailureAt) > addressWindow {
		th = LoginThrottle{ClientAddr: addr}
	}
	th.Failures++
	th.LastFailureAt = now
	if th.Failures >= addressFreeTries {
		until := now.Add(lockBackoff(th.Failures - addressFreeTries))
		th.LockedUntil = &until
	}
	return tx.Save(&th).Error
}
