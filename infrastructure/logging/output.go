package logging

import (
	"io"
	"sync"
	"time"
)

// FlushDelay is the longest a buffered line waits in an Output before it
// is written: a process killed with SIGKILL loses at most the lines of
// its last FlushDelay (plus the time of one write), well within the
// 100 ms the service allows itself (docs/performance.md).
const FlushDelay = 50 * time.Millisecond

// maxBuffered is the most an Output holds before it writes at once,
// whatever the delay.
const maxBuffered = 64 << 10

// Output is a writer, standard error in the service, that lines may wait
// in for up to FlushDelay, so that a busy server writes its request log
// in a few large writes rather than one system call a request. Write
// buffers; Flush writes what waits at once (NewDeferring's logger
// flushes after every line that must not wait, so lines keep their
// order). Close writes
// what waits and makes every later Write go straight through: a clean
// shutdown loses nothing. Output is safe for concurrent use.
type Output struct {
	mu      sync.Mutex
	w       io.Writer
	delay   time.Duration
	buf     []byte
	timer   *time.Timer
	pending bool // the timer is set to write buf
	closed  bool
}

// NewOutput returns an Output over w whose buffered lines wait at most
// delay.
func NewOutput(w io.Writer, delay time.Duration) *Output {
	o := &Output{w: w, delay: delay, buf: make([]byte, 0, 4<<10)}
	o.timer = time.AfterFunc(time.Hour, o.timed)
	o.timer.Stop()
	return o
}

// Write buffers p (one or more whole lines, as a slog handler writes
// them), to be written within the delay. It never fails: a failure to
// write is the next write's, as with an unbuffered standard error that
// nobody reads.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return o.w.Write(p)
	}
	o.buf = append(o.buf, p...)
	switch {
	case len(o.buf) >= maxBuffered:
		o.flushLocked()
	case !o.pending:
		o.pending = true
		o.timer.Reset(o.delay)
	}
	return len(p), nil
}

// Flush writes what is buffered now.
func (o *Output) Flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.flushLocked()
}

// Close writes what is buffered; later writes go straight to the
// underlying writer. It does not close that writer.
func (o *Output) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	return o.flushLocked()
}

// timed is the timer's flush.
func (o *Output) timed() {
	o.mu.Lock()
	defer o.mu.Unlock()
	_ = o.flushLocked()
}

func (o *Output) flushLocked() error {
	if o.pending {
		o.timer.Stop()
		o.pending = false
	}
	if len(o.buf) == 0 {
		return nil
	}
	_, err := o.w.Write(o.buf)
	if cap(o.buf) > maxBuffered*2 {
		o.buf = make([]byte, 0, 4<<10)
	} else {
		o.buf = o.buf[:0]
	}
	return err
}
