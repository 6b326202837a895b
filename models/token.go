package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// TokenPurpose is what a one-time link emailed to a contact lets its holder do.
type TokenPurpose string

// The purposes of tokens.
const (
	PurposeConfirm  TokenPurpose = "confirm"  // confirm the contact's email and the application
	PurposeManage   TokenPurpose = "manage"   // withdraw the signature
	PurposeReaffirm TokenPurpose = "reaffirm" // re-affirm the signature for a new version of the charter
)

// TokenLifetime is how long an emailed link works.
const TokenLifetime = 7 * 24 * time.Hour

// Token is a one-time link's record. Only the SHA-256 of the token is stored, so a copy of the
// database does not give anyone working links.
type Token struct {
	ID          int64
	SignatoryID int64
	Purpose     TokenPurpose
	Hash        string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
}

// Why a token does not work. Each is a KindNotFound or KindGone *Error so the HTTP layer answers
// 404 or 410; the handlers tell them apart with errors.Is to say which.
var (
	ErrTokenUnknown = &Error{Kind: KindNotFound, Key: "error.link_unknown"}
	ErrTokenUsed    = &Error{Kind: KindGone, Key: "error.link_used"}
	ErrTokenExpired = &Error{Kind: KindGone, Key: "error.link_expired"}
)

func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// newToken stores a fresh token for the signatory inside tx and returns the secret to mail: 32
// random bytes, base64url without padding (43 characters, safe in a URL path).
func newToken(tx *gorm.DB, now time.Time, signatoryID int64, purpose TokenPurpose) (string, error) {
	return newTokenFor(tx, now, signatoryID, purpose, TokenLifetime)
}

// newTokenFor is newToken with a lifetime of its own.
func newTokenFor(tx *gorm.DB, now time.Time, signatoryID int64, purpose TokenPurpose, lifetime time.Duration) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	raw := base64.RawURLEncoding.EncodeToString(b[:])
	err := tx.Create(&Token{
		SignatoryID: signatoryID,
		Purpose:     purpose,
		Hash:        hashToken(raw),
		CreatedAt:   now,
		ExpiresAt:   now.Add(lifetime),
	}).Error
	return raw, err
}

// findToken looks a token up by its secret and says whether it can still be used at now.
func findToken(tx *gorm.DB, now time.Time, raw string, purpose TokenPurpose) (*Token, error) {
	if len(raw) != 43 {
		return nil, ErrTokenUnknown // not one of ours; spare the query
	}
	var t Token
	err := tx.Where("hash = ? AND purpose = ?", hashToken(raw), purpose).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrTokenUnknown
	}
	if err != nil {
		return nil, err
	}
	if t.UsedAt != nil {
		return &t, ErrTokenUsed
	}
	if !now.Before(t.ExpiresAt) {
		return &t, ErrTokenExpired
	}
	return &t, nil
}

// useToken consumes a token inside tx. The UPDATE is conditional, so of two requests racing with
// the same link exactly one gets it; the other gets the reason the link no longer works.
func useToken(tx *gorm.DB, now time.Time, raw string, purpose TokenPurpose) (*Token, error) {
	t, err := findToken(tx, now, raw, purpose)
	if err != nil {
		return nil, err
	}
	res := tx.Model(&Token{}).
		Where("id = ? AND used_at IS NULL AND expires_at > ?", t.ID, now).
		Update("used_at", now)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, ErrTokenUsed
	}
	t.UsedAt = &now
	return t, nil
}
