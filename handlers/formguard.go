package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"charter/models"
	"charter/views"
)

// Public forms carry two guards against bots, invisible to people:
//   - a stamp: the time the form was served and a random nonce, signed with a key of the site, so
//     a post that comes back faster than a person can fill the form, or days later, is refused.
//     A stamp is accepted once (models.UseStamp), so one form served cannot feed a fleet of posts;
//   - a honeypot: an input hidden from people and from screen readers, which only a bot fills.
const (
	stampField    = views.StampField
	honeypotField = views.HoneypotField
	minFillTime   = 3 * time.Second
	maxFormAge    = 24 * time.Hour
)

// siteKey is a key the site made for itself (models.Store.Secret), read from the database on
// first use and kept.
type siteKey struct {
	mu  sync.Mutex
	key []byte
}

// get returns the key called name, reading it from the store the first time.
func (k *siteKey) get(ctx context.Context, store *models.Store, name string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key == nil {
		key, err := store.Secret(ctx, name)
		if err != nil {
			return nil, err
		}
		k.key = key
	}
	return k.key, nil
}

func (h *Handler) formKey(ctx context.Context) ([]byte, error) {
	return h.guard.get(ctx, h.Store, "form-stamp")
}

// A stamp is the serve time (8 bytes, Unix milliseconds), a nonce (8 bytes) and the MAC of both
// (16 bytes). The nonce makes each stamp served unique, also when one is issued again with an
// earlier serve time.
const stampHeader, stampLen = 8 + 8, 8 + 8 + 16

func stampMAC(key []byte, header []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("form-stamp\x00"))
	m.Write(header)
	return m.Sum(nil)[:16]
}

// stampAt is a new signed stamp carrying served as the time the form was served.
func (h *Handler) stampAt(ctx context.Context, served time.Time) (string, error) {
	key, err := h.formKey(ctx)
	if err != nil {
		return "", err
	}
	header := binary.BigEndian.AppendUint64(make([]byte, 0, stampLen), uint64(served.UnixMilli()))
	header = append(header, make([]byte, 8)...)
	rand.Read(header[8:stampHeader])
	return base64.RawURLEncoding.EncodeToString(append(header, stampMAC(key, header)...)), nil
}

// formStamp is the signed time stamp to put in a public form served now.
func (h *Handler) formStamp(c echo.Context) (string, error) {
	return h.stampAt(c.Request().Context(), h.now())
}

// Reasons a guarded form is refused; views.FormGuardMessage turns them into words.
const (
	guardOK       = views.GuardOK
	guardTooFast  = views.GuardTooFast
	guardExpired  = views.GuardExpired
	guardUsed     = views.GuardUsed
	guardHoneypot = views.GuardHoneypot
)

// guardForm checks the guards of a posted public form. It returns the stamp to put in the form if
// it is shown again, and the problem to show when the form is refused, or none. A stamp that passed
// is spent, so the form shown again (say, with a field to correct) gets a fresh one that keeps the
// original serve time: the time already spent counts. A form refused as too fast keeps its stamp;
// any other refusal gets a stamp served now.
func (h *Handler) guardForm(c echo.Context) (stamp string, problem views.FormMessage, err error) {
	reason, served, err := h.checkForm(c)
	if err != nil {
		return "", problem, err
	}
	ctx := c.Request().Context()
	switch reason {
	case guardOK:
		stamp, err = h.stampAt(ctx, served)
		return stamp, problem, err
	case guardTooFast:
		return c.FormValue(stampField), views.FormGuardMessage(reason), nil
	}
	stamp, err = h.stampAt(ctx, h.now())
	return stamp, views.FormGuardMessage(reason), err
}

// checkForm tells whether a posted public form passes its guards, and if not, why; for a stamp
// that passes, it also returns the time the form was served, and records the stamp as used. An
// error is returned only when the database cannot be reached.
func (h *Handler) checkForm(c echo.Context) (reason string, served time.Time, err error) {
	if c.FormValue(honeypotField) != "" {
		return guardHoneypot, time.Time{}, nil
	}
	ctx := c.Request().Context()
	key, err := h.formKey(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	posted := c.FormValue(stampField)
	raw, err := base64.RawURLEncoding.Strict().DecodeString(posted) // one spelling per stamp
	if err != nil || len(raw) != stampLen || !hmac.Equal(raw[stampHeader:], stampMAC(key, raw[:stampHeader])) {
		return guardExpired, time.Time{}, nil
	}
	served = time.UnixMilli(int64(binary.BigEndian.Uint64(raw[:8]))).UTC()
	age := h.now().Sub(served)
	switch {
	case age < minFillTime:
		return guardTooFast, served, nil
	case age > maxFormAge:
		return guardExpired, served, nil
	}
	first, err := h.Store.UseStamp(ctx, posted, served.Add(maxFormAge))
	if err != nil {
		return "", time.Time{}, err
	}
	if !first {
		return guardUsed, served, nil
	}
	return guardOK, served, nil
}
