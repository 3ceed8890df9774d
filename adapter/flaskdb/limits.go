package flaskdb

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Limits bound what reading one file may cost.
type Limits struct {
	// ReadTime is how long all the reads of the file may take together:
	// checking the schema, counting, and every page of rows. The time
	// the caller spends between pages (hashing passwords) is not
	// counted.
	ReadTime time.Duration
	// UsernameBytes and PasswordBytes are the longest username and
	// password read; a row with a longer one is yielded with Skip set,
	// and the value itself is never loaded.
	UsernameBytes, PasswordBytes int
}

// DefaultLimits are generous for any users.db the Flask app wrote: a
// million rows read in seconds, a username the rules accept is at most 32
// characters (128 bytes), a password the policy accepts at most 128
// characters (512 bytes).
var DefaultLimits = Limits{
	ReadTime:      time.Minute,
	UsernameBytes: 1024,
	PasswordBytes: 4096,
}

// resolve returns l with each zero field set to DefaultLimits'.
func (l Limits) resolve() Limits {
	if l.ReadTime <= 0 {
		l.ReadTime = DefaultLimits.ReadTime
	}
	if l.UsernameBytes <= 0 {
		l.UsernameBytes = DefaultLimits.UsernameBytes
	}
	if l.PasswordBytes <= 0 {
		l.PasswordBytes = DefaultLimits.PasswordBytes
	}
	return l
}

// read runs do, one read of the file described by what ("count users
// in"), with a context that ends when the file's read time is used up,
// and charges the time do took. SQLite is interrupted at that deadline,
// so a query that would never end (a recursive view, a huge file) fails
// with ErrTooSlow. An error of ctx itself (the operator's interrupt) is
// returned as it is.
func (f *File) read(ctx context.Context, what string, do func(ctx context.Context) error) error {
	left := f.limits.ReadTime - f.spent
	if left <= 0 {
		return f.tooSlow(what)
	}
	readCtx, cancel := context.WithTimeout(ctx, left)
	defer cancel()
	start := time.Now()
	err := do(readCtx)
	f.spent += time.Since(start)
	switch {
	case err == nil:
		return nil
	case ctx.Err() == nil && errors.Is(readCtx.Err(), context.DeadlineExceeded):
		return f.tooSlow(what)
	}
	return fmt.Errorf("flaskdb: %s %s: %w", what, f.path, err)
}

func (f *File) tooSlow(what string) error {
	return fmt.Errorf("%w: %s %s: its reads may take %s in all (is it the Flask app's users.db?)", ErrTooSlow, what, f.path, f.limits.ReadTime)
}
