package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"charter/views"
)

// Public forms carry two guards against bots, invisible to people:
//   - a stamp: the time the form was served, signed with a key of the site, so a post that comes
//     back faster than a person can fill the form, or days later, is refused;
//   - a honeypot: an input hidden from people and from screen readers, which only a bot fills.
const (
	stampField    = "_stamp"
	honeypotField = "homepage"
	minFillTime   = 3 * time.Second
	maxFormAge    = 24 * time.Hour
)

// formGuard holds the key that signs form stamps, read from the database on first use.
type formGuard struct {
	mu  sync.Mutex
	key []byte
}

func (h *Handler) formKey(ctx context.Context) ([]byte, error) {
	h.guard.mu.Lock()
	defer h.guard.mu.Unlock()
	if h.guard.key == nil {
		key, err := h.Store.Secret(ctx, "form-stamp")
		if err != nil {
			return nil, err
		}
		h.guard.key = key
	}
	return h.guard.key, nil
}

func stampMAC(key []byte, served []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("form-stamp\x00"))
	m.Write(served)
	return m.Sum(nil)[:16]
}

// formStamp is the signed time stamp to put in a public form served now.
func (h *Handler) formStamp(c echo.Context) (string, error) {
	key, err := h.formKey(c.Request().Context())
	if err != nil {
		return "", err
	}
	served := binary.BigEndian.AppendUint64(nil, uint64(h.now().UnixMilli()))
	return base64.RawURLEncoding.EncodeToString(append(served, stampMAC(key, served)...)), nil
}

// Reasons a guarded form is refused; views.FormGuardMessage turns them into words.
const (
	guardOK       = ""
	guardTooFast  = "too-fast"
	guardExpired  = "expired"
	guardHoneypot = "honeypot"
)

// guardForm checks the guards of a posted public form. It returns the stamp the form carries if
// it is shown again (the posted one while it is good, so the time already spent counts; a new one
// otherwise) and the problem to show when the form is refused, or "".
func (h *Handler) guardForm(c echo.Context) (stamp, problem string, err error) {
	reason, err := h.checkForm(c)
	if err != nil {
		return "", "", err
	}
	if reason == guardOK || reason == guardTooFast {
		return c.FormValue(stampField), views.FormGuardMessage(reason), nil
	}
	stamp, err = h.formStamp(c)
	return stamp, views.FormGuardMessage(reason), err
}

// checkForm tells whether a posted public form passes its guards, and if not, why. An error is
// returned only when the key cannot be read.
func (h *Handler) checkForm(c echo.Context) (string, error) {
	if c.FormValue(honeypotField) != "" {
		return guardHoneypot, nil
	}
	key, err := h.formKey(c.Request().Context())
	if err != nil {
		return "", err
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.FormValue(stampField))
	if err != nil || len(raw) != 8+16 || !hmac.Equal(raw[8:], stampMAC(key, raw[:8])) {
		return guardExpired, nil
	}
	served := time.UnixMilli(int64(binary.BigEndian.Uint64(raw[:8])))
	age := h.now().Sub(served)
	switch {
	case age < minFillTime:
		return guardTooFast, nil
	case age > maxFormAge:
		return guardExpired, nil
	}
	return guardOK, nil
}
