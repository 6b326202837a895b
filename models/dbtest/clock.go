package dbtest

import (
	"strings"
	"sync"
	"time"
)

// Clock is a store's and handlers' clock that the test moves, safe for concurrent readers. A
// clock from NewClock stands still between moves; one from NewRunningClock runs with the wall
// clock, moved by an offset, for a real server that needs time to pass between requests.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	running bool // read the wall clock plus offset, not now
	offset  time.Duration
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// NewRunningClock returns a clock that reads the wall clock, plus whatever the test adds.
func NewRunningClock() *Clock { return &Clock{running: true} }

// Now is the clock's time; pass the method value as the store's and the handlers' clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return time.Now().Add(c.offset)
	}
	return c.now
}

// Add moves the clock forward by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		c.offset += d
		return
	}
	c.now = c.now.Add(d)
}

// Set puts the clock at t; a running clock goes on running from there.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		c.offset = time.Until(t)
		return
	}
	c.now = t
}

// LogBuffer collects the log of code running concurrently with the test: a strings.Builder
// guarded by a mutex.
type LogBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
