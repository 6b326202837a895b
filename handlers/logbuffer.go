package handlers

import (
	"io"
	"sync"
	"time"
)

// LogBuffer buffers log output, so that a log line costs a copy into memory rather than a system
// call: the request log writes a line per request. The buffer goes out when it is full, at least
// every flush interval, and on Close, so at most that interval of lines is held back.
//
// It is an io.Writer that buffers what is written to the underlying writer. Each Write is
// kept whole (a log handler writes one line per call), so lines from several writers sharing the
// underlying file are never cut. It is safe for concurrent use.
type LogBuffer struct {
	mu   sync.Mutex
	w    io.Writer
	buf  []byte
	size int

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// NewLogBuffer returns a LogBuffer over w holding up to size bytes, flushed every interval by a goroutine
// that Close stops.
func NewLogBuffer(w io.Writer, size int, interval time.Duration) *LogBuffer {
	b := &LogBuffer{w: w, buf: make([]byte, 0, size), size: size, stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(interval)
	return b
}

func (b *LogBuffer) flushEvery(interval time.Duration) {
	defer close(b.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.Flush()
		}
	}
}

// Write keeps p in the buffer, first sending what the buffer holds if p does not fit. A p larger
// than the whole buffer is written straight through.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.buf)+len(p) > b.size {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
	}
	if len(p) > b.size {
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes out what the buffer holds.
func (b *LogBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *LogBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close stops the periodic flush and flushes the buffer. Writes after Close still reach the
// underlying writer, at the next Write that fills the buffer or the next Flush.
func (b *LogBuffer) Close() error {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
	})
	return b.Flush()
}
