package models

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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
	DisabledAt   *time.Time
	// Lang is the language the administrator works in (a code such as "en"): the console's and
	// the notifications'.
	Lang string
}

// Active reports whether the administrator may sign in (at some point: a pause after failures passes).
func (a *Admin) Active() bool { return a.DisabledAt == nil }

// checkAdminEmail trims an administrator's email address and checks it is one.
func checkAdminEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email, "@") {
		return "", Errorf(KindInvalid, "error.admin_email_invalid", "Email", email)
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
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	a := &Admin{Email: email, PasswordHash: hash, CreatedAt: s.Now(), Lang: "en"} // English until SetAdminLang
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Admin{}).Where("email = ?", email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return Errorf(KindConflict, "error.admin_exists", "Email", email)
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
	err := gorm.ErrRecordNotFound
	if storableText(email) {
		err = tx.Where("email = ?", strings.TrimSpace(email)).Take(&a).Error
	}
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, Errorf(KindNotFound, "error.admin_unknown", "Email", email)
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
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	now := s.Now()
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := adminByEmail(tx, email)
		if err != nil {
			return err
		}
		if err := tx.Model(a).Update("password_hash", hash).Error; err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM login_limits WHERE key = ?", accountLimit(a.ID).key).Error; err != nil {
			return err
		}
		if err := tx.Where("admin_id = ?", a.ID).Delete(&Session{}).Error; err != nil {
			return err
		}
		return recordAudit(tx, &AuditEvent{CreatedAt: now, Actor: ActorSystem, Action: ActionAdminPasswordReset,
			Detail: auditDetailJSON(map[string]any{"admin_id": a.ID})})
	})
}

// SetAdminLang sets the language an administrator works in: the console's and their
// notifications'. lang is a code of one of the site's languages (views.Languages), which the
// caller checks; a code that is not two to eight lowercase letters is refused here too.
func (s *Store) SetAdminLang(ctx context.Context, adminID int64, lang string) error {
	if !langCode(lang) {
		return Errorf(KindInvalid, "%q is not a language code", lang)
	}
	res := s.DB.WithContext(ctx).Model(&Admin{}).Where("id = ?", adminID).Update("lang", lang)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

func langCode(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// ErrLoginFailed is the one answer to a wrong password, an unknown or disabled email and a paused
// account or device alike, so that the answer tells a guesser nothing about which accounts exist.
var ErrLoginFailed = Errorf(KindForbidden, "error.login_failed")

// ErrLoginThrottled means too many sign-ins failed from this client address; it says nothing
// about any account.
var ErrLoginThrottled = Errorf(KindForbidden, "error.login_throttled")

// dummyHash is checked against when the answer is no whatever the password (unknown email, paused
// account), so that the answer takes as long as for a known email with a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("not the password of anyone")
	if err != nil {
		panic(err)
	}
	return h
})

// LoginAttempt is one try at signing in.
type LoginAttempt struct {
	Email, Password string
	// Client identifies where the attempt comes from, for the per-client allowance: the client's
	// address, IPv6 grouped by /64.
	Client string
	// Device is the browser's device cookie (NewDeviceToken), or "".
	Device string
}

// Login checks an administrator's email and password, coming from client, from a browser that
// shows no device cookie. See SignIn.
func (s *Store) Login(ctx context.Context, email, password, client string) (*Admin, error) {
	return s.SignIn(ctx, LoginAttempt{Email: email, Password: password, Client: client})
}

// SignIn checks an attempt to sign in (see loginlimit.go for the allowances it spends). It
// returns the administrator; ErrLoginThrottled when the client's allowance is spent; a
// *BusyError when too many password checks are running; or ErrLoginFailed for every other
// failure, after the same work.
func (s *Store) SignIn(ctx context.Context, at LoginAttempt) (*Admin, error) {
	db := s.DB.WithContext(ctx)
	var a *Admin
	var found Admin
	err := gorm.ErrRecordNotFound
	if storableText(at.Email) { // else no administrator has that address
		err = db.Where("email = ? AND disabled_at IS NULL", strings.TrimSpace(at.Email)).Take(&found).Error
	}
	switch {
	case err == nil:
		a = &found
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	nonce, trusted, err := s.device(ctx, at.Device, a)
	if err != nil {
		return nil, err
	}

	// Take the attempts first, in one transaction. A known device spends its own allowance only;
	// any other client spends its address's, then the account's.
	var keys []limitKey
	switch {
	case trusted:
		keys = []limitKey{deviceLimit(nonce)}
	case a != nil:
		keys = []limitKey{clientLimit(at.Client), accountLimit(a.ID)}
	default:
		keys = []limitKey{clientLimit(at.Client)}
	}
	var taken []limitKey
	throttled := false
	now := s.Now()
	err = db.Transaction(func(tx *gorm.DB) error {
		taken = taken[:0]
		for i, k := range keys {
			ok, err := takeAttempt(tx, k, now)
			if err != nil {
				return err
			}
			if !ok {
				throttled = i == 0 && !trusted
				return nil
			}
			taken = append(taken, k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if throttled {
		return nil, ErrLoginThrottled
	}

	// Check the password even when the answer is already no, against the dummy hash.
	allowed := a != nil && len(taken) == len(keys)
	hash := dummyHash()
	if allowed {
		hash = a.PasswordHash
	}
	ok, err := s.checkPassword(ctx, hash, at.Password, allowed)
	if err != nil {
		// Not checked (too busy, or the request went away): the attempt was not made.
		if gerr := s.giveBack(context.WithoutCancel(ctx), taken); gerr != nil {
			return nil, gerr
		}
		return nil, err
	}
	if !allowed || !ok {
		return nil, ErrLoginFailed
	}
	if err := s.giveBack(ctx, taken); err != nil {
		return nil, err
	}
	if err := db.Model(a).Update("last_login_at", now).Error; err != nil {
		return nil, err
	}
	a.LastLoginAt = &now
	return a, nil
}

// storableText reports whether s can be stored as text, or compared with stored text, in both
// databases: PostgreSQL refuses a NUL character and bytes that are not UTF-8 with an error, where
// SQLite compares them as any other. A value that is not storable equals nothing stored.
func storableText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
