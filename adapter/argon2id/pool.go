package argon2id

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.PasswordHasher = (*Pool)(nil)

// errPoolFull is returned when every slot is taken and MaxWaiting callers
// already wait. It is one value, so refusing a flood allocates nothing.
var errPoolFull = fmt.Errorf("argon2id: hashing pool full: %w", domain.ErrUnavailable)

// PoolLimits bound the work a Pool admits.
type PoolLimits struct {
	// Workers is how many hashes may run at once; below 1 counts as 1.
	Workers int
	// MaxWaiting is how many callers may wait for a slot at once; a caller
	// beyond it fails at once. Below 1, no caller waits.
	MaxWaiting int
	// MaxWait is how long a caller waits for a slot before it fails. Zero
	// or below, no caller waits.
	MaxWait time.Duration
}

// DefaultPoolLimits returns one worker per usable CPU (argon2id with one
// thread keeps a CPU busy, so more would only add latency), 256 waiting
// callers and a 10 second wait.
func DefaultPoolLimits() PoolLimits {
	return PoolLimits{Workers: runtime.GOMAXPROCS(0), MaxWaiting: 256, MaxWait: 10 * time.Second}
}

// PoolStats is a snapshot of a Pool's load.
type PoolStats struct {
	// Running is how many slots are taken: hashes running or about to.
	Running int
	// Waiting is how many callers wait for a slot.
	Waiting int
}

// hasher is what a Pool runs: *Hasher, or a fake in tests.
type hasher interface {
	Hash(ctx context.Context, password domain.Password) (string, error)
	Verify(ctx context.Context, password domain.Password, encoded string) (match, needsRehash bool, err error)
}

// Pool runs a Hasher's Hash and Verify with at most Workers at once, so a
// flood of logins can neither exhaust memory nor queue without end. Peak
// hashing memory in use is Workers × MemoryKiB (about 19 MiB each with
// DefaultParams), or more while verifying stored hashes made with a larger
// memory cost; since every hash allocates its memory afresh, the heap under
// a flood grows to about twice that before the garbage collector (at the
// default GOGC) reclaims it. A caller that finds no free slot waits, unless MaxWaiting
// callers already do, for at most MaxWait or until its context is done; if
// no slot comes, it gets an error wrapping domain.ErrUnavailable. A Pool is
// safe for concurrent use.
type Pool struct {
	h          hasher
	slots      chan struct{} // a semaphore: one element per taken slot
	waiting    atomic.Int64  // callers between deciding to wait and giving up
	maxWaiting int64
	maxWait    time.Duration
}

// NewPool returns a Pool that runs h within l.
func NewPool(h *Hasher, l PoolLimits) *Pool {
	return newPool(h, l)
}

// newPool is NewPool for any hasher, so tests can hold slots with a fake.
func newPool(h hasher, l PoolLimits) *Pool {
	return &Pool{
		h:          h,
		slots:      make(chan struct{}, max(l.Workers, 1)),
		maxWaiting: int64(max(l.MaxWaiting, 0)),
		maxWait:    l.MaxWait,
	}
}

// Hash hashes password with the Hasher once a slot is free; see Pool for
// when it gives up instead.
func (p *Pool) Hash(ctx context.Context, password domain.Password) (string, error) {
	if err := p.acquire(ctx); err != nil {
		return "", err
	}
	defer p.release()
	return p.h.Hash(ctx, password)
}

// Verify verifies password against encoded with the Hasher once a slot is
// free; see Pool for when it gives up instead.
func (p *Pool) Verify(ctx context.Context, password domain.Password, encoded string) (match, needsRehash bool, err error) {
	if err := p.acquire(ctx); err != nil {
		return false, false, err
	}
	defer p.release()
	return p.h.Verify(ctx, password, encoded)
}

// Saturated reports whether Hash or Verify called now would fail at once:
// every slot taken and MaxWaiting callers already waiting (or no waiting
// allowed). It is a snapshot; a caller that finds room may still be
// refused a moment later, and the other way round.
func (p *Pool) Saturated() bool {
	if len(p.slots) < cap(p.slots) {
		return false
	}
	return p.maxWait <= 0 || p.waiting.Load() >= p.maxWaiting
}

// Stats reports how many slots are taken and how many callers wait. The two
// are read one after the other, so under load they may not add up to a
// single instant.
func (p *Pool) Stats() PoolStats {
	return PoolStats{Running: len(p.slots), Waiting: int(p.waiting.Load())}
}

// acquire takes a slot, waiting for one within the limits. On success the
// caller must release it.
func (p *Pool) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("argon2id: hashing pool: %w", err)
	}
	select {
	case p.slots <- struct{}{}:
		return nil
	default:
	}
	if p.maxWait <= 0 {
		return errPoolFull
	}
	if p.waiting.Add(1) > p.maxWaiting {
		p.waiting.Add(-1)
		return errPoolFull
	}
	defer p.waiting.Add(-1)
	timer := time.NewTimer(p.maxWait)
	defer timer.Stop()
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-timer.C:
		return fmt.Errorf("argon2id: hashing pool busy, waited %v: %w", p.maxWait, domain.ErrUnavailable)
	case <-ctx.Done():
		return fmt.Errorf("argon2id: waiting for hashing pool: %w: %w", ctx.Err(), domain.ErrUnavailable)
	}
}

// release frees a slot taken by acquire.
func (p *Pool) release() {
	<-p.slots
}
