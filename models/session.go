package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Session is an administrator's signed-in browser. The cookie holds a random token; the table
// holds only its SHA-256, so a copy of the database does not let anyone sign in.
type Session struct {
	IDHash     string `gorm:"primaryKey"`
	AdminID    int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	Flash      string
}

// How long a session lasts: it ends after SessionIdle without a request, and SessionLifetime
// after sign-in whatever happens.
const (
	SessionIdle     = 30 * time.Minute
	SessionLifetime = 12 * time.Hour
	// seenEvery bounds how often a session's last_seen_at is written: not on every request.
	seenEvery = time.Minute
)

func sessionHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StartSession signs an administrator in: it creates a new session and returns its token for the
// cookie. The session the browser had before (previousToken, possibly empty) is deleted, so a
// token planted before sign-in is worth nothing after it. Expired sessions are swept on the way.
func (s *Store) StartSession(ctx context.Context, adminID int64, previousToken string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.Now()
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if previousToken != "" {
			if err := tx.Where("id_hash = ?", sessionHash(previousToken)).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		err := tx.Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-SessionIdle)).Delete(&Session{}).Error
		if err != nil {
			return err
		}
		return tx.Create(&Session{IDHash: sessionHash(token), AdminID: adminID, CreatedAt: now,
			LastSeenAt: now, ExpiresAt: now.Add(SessionLifetime)}).Error
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// SessionByToken returns the live session with this token and its administrator, or ErrNotFound
// when there is none, it has expired (idle or absolute) or the administrator is disabled.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Session, *Admin, error) {
	if token == "" {
		return nil, nil, ErrNotFound
	}
	now := s.Now()
	db := s.DB.WithContext(ctx)
	var sess Session
	err := db.Where("id_hash = ?", sessionHash(token)).Take(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.LastSeenAt.Add(SessionIdle)) {
		if err := db.Where("id_hash = ?", sess.IDHash).Delete(&Session{}).Error; err != nil {
			return nil, nil, err
		}
		return nil, nil, ErrNotFound
	}
	var a Admin
	err = db.Where("id = ? AND disabled_at IS NULL", sess.AdminID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(sess.LastSeenAt) >= seenEvery {
		sess.LastSeenAt = now
		if err := db.Model(&sess).Update("last_seen_at", now).Error; err != nil {
			return nil, nil, err
		}
	}
	return &sess, &a, nil
}

// EndSession signs out: the session with this token is deleted.
func (s *Store) EndSession(ctx context.Context, token string) error {
	return s.DB.WithContext(ctx).Where("id_hash = ?", sessionHash(token)).Delete(&Session{}).Error
}

// SetFlash keeps a message in the session, to show once on the next page.
func (s *Store) SetFlash(ctx context.Context, sess *Session, msg string) error {
	return s.DB.WithContext(ctx).Model(sess).Update("flash", msg).Error
}

// TakeFlash returns the session's message and clears it, so it is shown once.
func (s *Store) TakeFlash(ctx context.Context, sess *Session) (string, error) {
	msg := sess.Flash
	if msg == "" {
		return "", nil
	}
	sess.Flash = ""
	return msg, s.DB.WithContext(ctx).Model(sess).Update("flash", "").Error
}
