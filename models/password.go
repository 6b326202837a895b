package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// MinPasswordLen is the shortest password an administrator may have.
const MinPasswordLen = 12

// argon2id parameters: OWASP's recommendation of 19 MiB, two passes, one lane. They are written
// into every hash, so raising them later keeps old hashes working.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns the argon2id hash of password as a PHC string
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash) with a fresh random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("password hash is not an argon2id PHC string")

// checkPassword reports whether password matches the PHC string encoded. The comparison takes
// the same time wherever the first difference is.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var memory, time uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &time, &threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, time, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ValidatePassword says what is wrong with a new administrator password, or returns nil.
func ValidatePassword(password string) error {
	if len([]rune(password)) < MinPasswordLen {
		return Errorf(KindInvalid, "error.password_short", "Min", MinPasswordLen)
	}
	if len(password) > 1024 {
		return Errorf(KindInvalid, "error.password_long", "Max", 1024)
	}
	return nil
}

// Every argon2id computation takes argonMemory (19 MiB) and about 25 ms of one CPU. A passwordGate
// lets at most `slots` run at once, across every caller (sign-in, and the CLI's create and
// reset-password), and a short queue wait behind them; whoever comes when the queue is full, or
// waits longer than maxWait, is told to come back later. So anonymous sign-ins can hold at most
// slots × 19 MiB, whatever their number.
type passwordGate struct {
	admitted chan struct{} // capacity slots + queue: held by each check running or waiting
	slots    chan struct{} // capacity slots: held by each check running
	maxWait  time.Duration
	avgNanos atomic.Int64 // moving average of how long one check takes, for Retry-After
}

// passwordQueuePerSlot is how many checks may wait for each slot: a few checks' time (~100 ms).
const passwordQueuePerSlot = 4

// passwordMaxWait bounds the wait for a slot, when the machine is too loaded to drain the queue.
const passwordMaxWait = 2 * time.Second

func newPasswordGate(slots int) *passwordGate {
	slots = max(slots, 1)
	g := &passwordGate{
		admitted: make(chan struct{}, slots*(1+passwordQueuePerSlot)),
		slots:    make(chan struct{}, slots),
		maxWait:  passwordMaxWait,
	}
	g.avgNanos.Store(int64(50 * time.Millisecond))
	return g
}

// ErrPasswordChecksBusy is the kind of BusyError: every password check slot and the queue behind
// them are taken. errors.Is(err, ErrPasswordChecksBusy) finds it.
var ErrPasswordChecksBusy = errors.New("too many password checks at once")

// BusyError says that the password checks are saturated, and when to try again.
type BusyError struct {
	RetryAfter time.Duration // when the checks now queued should be done; at least a second
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("%v: try again in %s", ErrPasswordChecksBusy, e.RetryAfter)
}

// Is makes a BusyError match ErrPasswordChecksBusy.
func (e *BusyError) Is(target error) bool { return target == ErrPasswordChecksBusy }

// busy is the error for a caller turned away now: the queue in front of it drains, slots at a
// time, in about (checks admitted / slots) × the average time of one check.
func (g *passwordGate) busy() error {
	rounds := (len(g.admitted) + cap(g.slots) - 1) / cap(g.slots)
	d := time.Duration(max(rounds, 1)) * time.Duration(g.avgNanos.Load())
	secs := (d + time.Second - 1) / time.Second // rounded up: never sooner than true
	return &BusyError{RetryAfter: max(secs, 1) * time.Second}
}

// run calls check once a slot is free, or returns a *BusyError.
func (g *passwordGate) run(ctx context.Context, check func()) error {
	select {
	case g.admitted <- struct{}{}:
	default:
		return g.busy()
	}
	defer func() { <-g.admitted }()
	t := time.NewTimer(g.maxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return g.busy()
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slots }()
	start := time.Now()
	check()
	took := int64(time.Since(start))
	avg := g.avgNanos.Load()
	g.avgNanos.Store(avg + (took-avg)/8)
	return nil
}

// PasswordCheckCounts counts the argon2id computations of one Store since it was opened.
type PasswordCheckCounts struct {
	Real  int64 // checks against an administrator's real hash: each one a guess tried
	Dummy int64 // checks against the dummy hash, so that refusals take the same work
	Busy  int64 // checks refused because every slot and the queue were taken
}

type passwordCounters struct {
	real, dummy, busy atomic.Int64
}

// PasswordChecks returns how many password checks this store has run, and refused.
func (s *Store) PasswordChecks() PasswordCheckCounts {
	return PasswordCheckCounts{Real: s.checks.real.Load(), Dummy: s.checks.dummy.Load(), Busy: s.checks.busy.Load()}
}

// LimitPasswordChecks sets how many argon2id computations may run at once (at least one); the
// default is the number of CPUs. Call it before the store is used.
func (s *Store) LimitPasswordChecks(n int) { s.gate = newPasswordGate(n) }

// hashPassword is HashPassword behind the store's gate.
func (s *Store) hashPassword(ctx context.Context, password string) (string, error) {
	var hash string
	var err error
	if gerr := s.gate.run(ctx, func() { hash, err = HashPassword(password) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// checkPassword checks password against hash behind the store's gate, counting it as a real
// check (of an administrator's hash) or a dummy one.
func (s *Store) checkPassword(ctx context.Context, hash, password string, real bool) (bool, error) {
	var ok bool
	var err error
	gerr := s.gate.run(ctx, func() { ok, err = checkPassword(hash, password) })
	switch {
	case errors.Is(gerr, ErrPasswordChecksBusy):
		s.checks.busy.Add(1)
		return false, gerr
	case gerr != nil:
		return false, gerr
	case real:
		s.checks.real.Add(1)
	default:
		s.checks.dummy.Add(1)
	}
	return ok, err
}
