package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"charter/models"
	"charter/models/dbtest"
)

const ownerPassword = "the owner's password"

func newLoginStore(t *testing.T) (*models.Store, *dbtest.Clock) {
	t.Helper()
	c := dbtest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	s := dbtest.New(t, c.Now)
	if _, err := s.CreateAdmin(context.Background(), "owner@example.org", ownerPassword); err != nil {
		t.Fatal(err)
	}
	return s, c
}

// attempt signs in and returns the error, or nil.
func attempt(s *models.Store, email, password, client, device string) error {
	_, err := s.SignIn(context.Background(), models.LoginAttempt{Email: email, Password: password, Client: client, Device: device})
	return err
}

// Many guesses at once, each from its own address, are checked against the real hash no more
// often than the account's allowance: the attempt is taken before the hash is checked.
func TestConcurrentGuessesSpendTheAccountsAllowanceFirst(t *testing.T) {
	s, _ := newLoginStore(t)
	s.LimitPasswordChecks(40) // no queue in the way: this is about the allowance
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range 40 {
		wg.Go(func() { errs[i] = attempt(s, "owner@example.org", "a wrong guess", fmt.Sprintf("192.0.2.%d", i+1), "") })
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, models.ErrLoginFailed) {
			t.Fatalf("guess %d: %v, want ErrLoginFailed", i, err)
		}
	}
	n := s.PasswordChecks()
	if n.Real > 5 || n.Real+n.Dummy != 40 {
		t.Errorf("checks %+v: want at most 5 against the real hash, and the same work (40) in all", n)
	}
	// The allowance is spent: the right password is refused too, with the same answer.
	if err := attempt(s, "owner@example.org", ownerPassword, "198.51.100.1", ""); !errors.Is(err, models.ErrLoginFailed) {
		t.Errorf("right password on a paused account: %v", err)
	}
}

// Concurrent attempts from one address get no more than the address's allowance between them.
func TestConcurrentAttemptsFromOneAddressStopAtItsAllowance(t *testing.T) {
	s, _ := newLoginStore(t)
	s.LimitPasswordChecks(40)
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range 40 {
		wg.Go(func() {
			errs[i] = attempt(s, fmt.Sprintf("guess%d@example.org", i), "a wrong guess", "203.0.113.9", "")
		})
	}
	wg.Wait()
	failed, throttled := 0, 0
	for _, err := range errs {
		switch {
		case errors.Is(err, models.ErrLoginFailed):
			failed++
		case errors.Is(err, models.ErrLoginThrottled):
			throttled++
		default:
			t.Fatalf("unexpected %v", err)
		}
	}
	if failed != 20 || throttled != 20 {
		t.Errorf("%d tried, %d throttled: want 20 and 20", failed, throttled)
	}
	if n := s.PasswordChecks(); n.Real+n.Dummy != 20 {
		t.Errorf("checks %+v: a throttled address gets no check", n)
	}
}

// Failures fade: a paused account opens again by itself, and one guess an hour never keeps it shut.
func TestFailuresDecay(t *testing.T) {
	s, clk := newLoginStore(t)
	for i := range 5 {
		attempt(s, "owner@example.org", "a wrong guess", fmt.Sprintf("192.0.2.%d", i+1), "")
	}
	if err := attempt(s, "owner@example.org", ownerPassword, "198.51.100.1", ""); !errors.Is(err, models.ErrLoginFailed) {
		t.Fatalf("paused account: %v", err)
	}
	paused, _ := s.AccountPausedUntil(context.Background(), 1)
	if want := clk.Now().Add(15 * time.Minute); !paused.Equal(want) {
		t.Errorf("paused until %v, want %v", paused, want)
	}
	clk.Add(15 * time.Minute)
	if err := attempt(s, "owner@example.org", ownerPassword, "198.51.100.1", ""); err != nil {
		t.Fatalf("15 minutes later: %v", err)
	}
	// A guess every hour for a day, from ever new addresses: the owner still gets in, without the CLI.
	for h := range 24 {
		clk.Add(time.Hour)
		attempt(s, "owner@example.org", "a wrong guess", fmt.Sprintf("203.0.113.%d", h+1), "")
		if err := attempt(s, "owner@example.org", ownerPassword, "198.51.100.1", ""); err != nil {
			t.Fatalf("hour %d: %v", h, err)
		}
	}
	if n, err := s.PurgeLoginLimits(context.Background(), clk.Now().Add(2*time.Hour)); err != nil || n == 0 {
		t.Errorf("purge: %d, %v", n, err)
	}
}

// A browser that signed in before keeps its own allowance: strangers who pause the account do not
// pause it; its own failures do.
func TestDeviceCookieKeepsTheOwnerIn(t *testing.T) {
	s, _ := newLoginStore(t)
	ctx := context.Background()
	owner, err := s.SignIn(ctx, models.LoginAttempt{Email: "owner@example.org", Password: ownerPassword, Client: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	device, err := s.NewDeviceToken(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		attempt(s, "owner@example.org", "a wrong guess", fmt.Sprintf("203.0.113.%d", i+1), "")
	}
	if err := attempt(s, "owner@example.org", ownerPassword, "198.51.100.1", ""); !errors.Is(err, models.ErrLoginFailed) {
		t.Fatalf("a new browser on a paused account: %v", err)
	}
	// The owner's device, even from an address the strangers used up.
	if err := attempt(s, "owner@example.org", ownerPassword, "203.0.113.1", device); err != nil {
		t.Fatalf("owner's device: %v", err)
	}
	// A forged or altered cookie is a stranger's.
	forged := device[:len(device)-2] + "AA"
	if err := attempt(s, "owner@example.org", ownerPassword, "198.51.100.2", forged); !errors.Is(err, models.ErrLoginFailed) {
		t.Errorf("forged device cookie: %v", err)
	}
	// A device that fails too often is paused itself, with the same answer and the same work.
	before := s.PasswordChecks()
	for range 10 {
		if err := attempt(s, "owner@example.org", "a wrong guess", "192.0.2.1", device); !errors.Is(err, models.ErrLoginFailed) {
			t.Fatal(err)
		}
	}
	if err := attempt(s, "owner@example.org", ownerPassword, "192.0.2.1", device); !errors.Is(err, models.ErrLoginFailed) {
		t.Errorf("a device past its allowance: %v", err)
	}
	after := s.PasswordChecks()
	if real, all := after.Real-before.Real, after.Real+after.Dummy-before.Real-before.Dummy; real != 10 || all != 11 {
		t.Errorf("%d real checks of %d: want 10 of 11", real, all)
	}
}

// Past the password checks' slots and queue, a sign-in is turned away at once with a time to come
// back, and its attempt is given back.
func TestPasswordChecksAreCapped(t *testing.T) {
	s, _ := newLoginStore(t)
	s.LimitPasswordChecks(1)
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i := range 30 {
		wg.Go(func() { errs[i] = attempt(s, fmt.Sprintf("guess%d@example.org", i), "a wrong guess", "192.0.2.1", "") })
	}
	wg.Wait()
	// Each attempt is refused as busy, or checked and failed; on a slow machine some may also
	// find the address's 20 attempts all taken before the busy ones were given back.
	busy, checked := 0, 0
	for _, err := range errs {
		var b *models.BusyError
		switch {
		case errors.As(err, &b):
			busy++
			if b.RetryAfter < time.Second {
				t.Errorf("retry after %s", b.RetryAfter)
			}
		case errors.Is(err, models.ErrLoginFailed):
			checked++
		case !errors.Is(err, models.ErrLoginThrottled):
			t.Fatalf("unexpected %v", err)
		}
	}
	n := s.PasswordChecks()
	if busy == 0 || n.Busy != int64(busy) || n.Real+n.Dummy != int64(checked) {
		t.Errorf("%d busy, %d checked, checks %+v: want some refused, the rest counted", busy, checked, n)
	}
	// The busy attempts were given back: the address has 20 - checked left.
	left := 0
	for i := range 20 {
		if err := attempt(s, fmt.Sprintf("more%d@example.org", i), "a wrong guess", "192.0.2.1", ""); errors.Is(err, models.ErrLoginFailed) {
			left++
		}
	}
	if want := 20 - checked; left != max(want, 0) {
		t.Errorf("%d attempts left to the address, want %d", left, want)
	}
}

// A new password ends the trust of every browser that signed in before it: after
// `charter admin reset-password`, an old device cookie is a stranger's.
func TestNewPasswordEndsOldDeviceCookies(t *testing.T) {
	s, _ := newLoginStore(t)
	ctx := context.Background()
	owner, err := s.SignIn(ctx, models.LoginAttempt{Email: "owner@example.org", Password: ownerPassword, Client: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	device, err := s.NewDeviceToken(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	const newPassword = "a new password for the owner"
	if err := s.ResetAdminPassword(ctx, "owner@example.org", newPassword); err != nil {
		t.Fatal(err)
	}
	// Strangers pause the account for browsers it does not know.
	for i := range 30 {
		attempt(s, "owner@example.org", "a wrong guess", fmt.Sprintf("203.0.113.%d", i+1), "")
	}
	if err := attempt(s, "owner@example.org", newPassword, "198.51.100.1", device); !errors.Is(err, models.ErrLoginFailed) {
		t.Errorf("the device cookie given before the new password, on a paused account: %v; want it treated as a stranger's", err)
	}
	// A cookie given after it is trusted.
	admins, err := s.Admins(ctx)
	if err != nil || len(admins) != 1 {
		t.Fatal(admins, err)
	}
	fresh, err := s.NewDeviceToken(ctx, &admins[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := attempt(s, "owner@example.org", newPassword, "198.51.100.1", fresh); err != nil {
		t.Errorf("a device cookie given after the new password: %v", err)
	}
}
