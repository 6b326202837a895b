package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Sign-in limits. Each allowance is a GCRA (generic cell rate algorithm) bucket kept in the
// database, so that every instance shares it and a restart keeps it: `burst` failures at once,
// then one more every `every`. Failures fade: an allowance is full again burst × every after the
// last failure, and a refused attempt does not count, so one guess an hour cannot keep anything
// locked. An attempt is taken before the password is checked, in one transaction, and given back
// when it succeeds: N concurrent guesses cost N attempts, and none is checked once the allowance
// is spent.
//
// Three allowances, after OWASP's "Slow down online guessing attacks with device cookies":
//   - an account, for the clients it does not know: a stranger's guesses spend it;
//   - a client address (IPv6 grouped by /64), against one place trying many accounts;
//   - a device that signed in to the account before (its signed device cookie): its failures
//     spend its own allowance only, so a stranger cannot lock the owner's browser out, and a
//     stolen cookie still guesses no faster than the account itself.
type limitRule struct {
	every time.Duration // one attempt comes back after this long
	burst int           // attempts a full allowance holds
}

// ClientRefill is how long a client address whose allowance is spent waits for its next attempt.
const ClientRefill = 3 * time.Minute

var (
	accountRule = limitRule{every: 15 * time.Minute, burst: 5}
	clientRule  = limitRule{every: ClientRefill, burst: 20}
	deviceRule  = limitRule{every: 15 * time.Minute, burst: 10}
)

// limitKey names one allowance and its rule.
type limitKey struct {
	key  string
	rule limitRule
}

func accountLimit(adminID int64) limitKey {
	return limitKey{"account:" + strconv.FormatInt(adminID, 10), accountRule}
}
func clientLimit(client string) limitKey { return limitKey{"client:" + client, clientRule} }
func deviceLimit(nonce []byte) limitKey {
	return limitKey{"device:" + hex.EncodeToString(nonce), deviceRule}
}

// takeAttempt spends one attempt of the allowance, if one is left, in tx: one upsert that
// compares and moves the allowance together, so concurrent callers cannot both take the last one.
// It reports whether the attempt was taken.
func takeAttempt(tx *gorm.DB, k limitKey, now time.Time) (bool, error) {
	nowMS := now.UnixMilli()
	every := k.rule.every.Milliseconds()
	slack := int64(k.rule.burst-1) * every
	var tat []int64
	// CASE rather than max() or GREATEST(): SQLite knows only the one, PostgreSQL the other.
	err := tx.Raw(`INSERT INTO login_limits (key, tat_ms) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE
		SET tat_ms = CASE WHEN login_limits.tat_ms > ? THEN login_limits.tat_ms ELSE ? END + ?
		WHERE CASE WHEN login_limits.tat_ms > ? THEN login_limits.tat_ms ELSE ? END <= ?
		RETURNING tat_ms`, k.key, nowMS+every, nowMS, nowMS, every, nowMS, nowMS, nowMS+slack).Scan(&tat).Error
	return len(tat) == 1, err
}

// giveBack returns attempts taken, for a sign-in that succeeded or was never checked.
func (s *Store) giveBack(ctx context.Context, keys []limitKey) error {
	if len(keys) == 0 {
		return nil
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, k := range keys {
			err := tx.Exec("UPDATE login_limits SET tat_ms = tat_ms - ? WHERE key = ?", k.rule.every.Milliseconds(), k.key).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// pausedUntil is when the allowance k, last moved to tat, has an attempt again; before now if it has one.
func (k limitKey) pausedUntil(tatMS int64) time.Time {
	return time.UnixMilli(tatMS - int64(k.rule.burst-1)*k.rule.every.Milliseconds()).UTC()
}

// AccountPausedUntil is when sign-in to the administrator's account from devices it does not
// know resumes, after too many failures; the zero time if it is not paused.
func (s *Store) AccountPausedUntil(ctx context.Context, adminID int64) (time.Time, error) {
	k := accountLimit(adminID)
	var tat []int64
	if err := s.DB.WithContext(ctx).Raw("SELECT tat_ms FROM login_limits WHERE key = ?", k.key).Scan(&tat).Error; err != nil {
		return time.Time{}, err
	}
	if len(tat) == 0 {
		return time.Time{}, nil
	}
	until := k.pausedUntil(tat[0])
	if !until.After(s.Now()) {
		return time.Time{}, nil
	}
	return until, nil
}

// PurgeLoginLimits deletes the allowances that are full again: they say nothing.
func (s *Store) PurgeLoginLimits(ctx context.Context, now time.Time) (int64, error) {
	res := s.DB.WithContext(ctx).Exec("DELETE FROM login_limits WHERE tat_ms <= ?", now.UnixMilli())
	return res.RowsAffected, res.Error
}

// Device cookies: the administrator's id and a random nonce, signed with HMAC-SHA256 under a key
// of the secrets table. The nonce names the device's allowance.
const (
	deviceSecret   = "device-cookie"
	deviceNonceLen = 16
	deviceTokenLen = 8 + deviceNonceLen + sha256.Size
)

// deviceKeyCache keeps the device cookies' key once read, so checking a cookie costs no query.
type deviceKeyCache struct {
	mu  sync.Mutex
	key []byte
}

func (s *Store) deviceSigningKey(ctx context.Context) ([]byte, error) {
	s.deviceKey.mu.Lock()
	defer s.deviceKey.mu.Unlock()
	if s.deviceKey.key == nil {
		key, err := s.Secret(ctx, deviceSecret)
		if err != nil {
			return nil, err
		}
		s.deviceKey.key = key
	}
	return s.deviceKey.key, nil
}

// deviceMAC signs a device cookie's administrator id and nonce together with the administrator's
// password hash at the time: a new password (charter admin reset-password) makes every device
// cookie given before it a stranger's.
func deviceMAC(key, idAndNonce []byte, passwordHash string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("charter device cookie\x00"))
	m.Write(idAndNonce)
	m.Write([]byte(passwordHash))
	return m.Sum(nil)
}

// NewDeviceToken returns the value of a fresh device cookie for the administrator, to give the
// browser that just signed in.
func (s *Store) NewDeviceToken(ctx context.Context, admin *Admin) (string, error) {
	key, err := s.deviceSigningKey(ctx)
	if err != nil {
		return "", err
	}
	b := make([]byte, 8+deviceNonceLen, deviceTokenLen)
	binary.BigEndian.PutUint64(b, uint64(admin.ID))
	if _, err := rand.Read(b[8:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(append(b, deviceMAC(key, b, admin.PasswordHash)...)), nil
}

// device checks a device cookie against the administrator a sign-in names: its nonce, or ok false
// for a cookie that is absent, malformed, of another administrator, given before the password
// last changed, or not signed by us.
func (s *Store) device(ctx context.Context, token string, admin *Admin) (nonce []byte, ok bool, err error) {
	if token == "" || admin == nil {
		return nil, false, nil
	}
	b, derr := base64.RawURLEncoding.DecodeString(token)
	if derr != nil || len(b) != deviceTokenLen {
		return nil, false, nil
	}
	key, err := s.deviceSigningKey(ctx)
	if err != nil {
		return nil, false, err
	}
	body, mac := b[:8+deviceNonceLen], b[8+deviceNonceLen:]
	if int64(binary.BigEndian.Uint64(body)) != admin.ID || !hmac.Equal(mac, deviceMAC(key, body, admin.PasswordHash)) {
		return nil, false, nil
	}
	return body[8:], true, nil
}
