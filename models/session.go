package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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

// Flash is what a session shows once, on its next page: one or more messages, each a message
// key with its arguments. The views put it into words in the language of the page that shows it,
// so a message left in one language reads in another after the administrator switches.
type Flash []FlashMessage

// FlashMessage is one message of a Flash.
type FlashMessage struct {
	Key   string            `json:"key"`
	Args  map[string]string `json:"args,omitempty"`
	Count *int64            `json:"count,omitempty"` // for a message with plural forms
}

// NewFlash is a flash of one message, key, with args as pairs of a name and a value.
func NewFlash(key string, args ...string) Flash {
	m := FlashMessage{Key: key}
	for i := 0; i+1 < len(args); i += 2 {
		if m.Args == nil {
			m.Args = make(map[string]string, len(args)/2)
		}
		m.Args[args[i]] = args[i+1]
	}
	return Flash{m}
}

// CountFlash is a message with plural forms, for count things.
func CountFlash(key string, count int64) FlashMessage {
	return FlashMessage{Key: key, Count: &count}
}

// SetFlash keeps a message in the session, to show once on the next page. It is stored as JSON
// in the session's flash column.
func (s *Store) SetFlash(ctx context.Context, sess *Session, f Flash) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Model(sess).Update("flash", string(raw)).Error
}

// TakeFlash returns the session's message and clears it, so it is shown once. A message that is
// not a Flash (one left in an older form) is dropped.
func (s *Store) TakeFlash(ctx context.Context, sess *Session) (Flash, error) {
	raw := sess.Flash
	if raw == "" {
		return nil, nil
	}
	sess.Flash = ""
	if err := s.DB.WithContext(ctx).Model(sess).Update("flash", "").Error; err != nil {
		return nil, err
	}
	var f Flash
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return nil, nil
	}
	return f, nil
}
