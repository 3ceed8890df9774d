package argon2id

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
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
	// FloodWaiting is how many waiting callers make a flood: from then on
	// the pool starts a new hash only while fewer than Workers-1 run, so
	// one core stays for the requests that do not hash (pages), and goes
	// back to Workers when the line is shorter again. Below 1, or with
	// one worker, it never holds back.
	FloodWaiting int
	// MaxPerKey is how many places, running or waiting, the calls of one
	// hashing key (usecase.WithHashingKey: one client network) may hold
	// at once; a call beyond it fails at once, however much room the
	// pool has, so one client cannot fill the line for every other.
	// Calls without a key count only against Workers and MaxWaiting.
	// Below 1, a key may hold any number.
	MaxPerKey int
}

// DefaultPoolLimits returns one worker per usable CPU (argon2id with one
// thread keeps a CPU busy, so more would only add latency), 256 waiting
// callers, a 10 second wait, a flood from 32 waiting callers, and a share
// of 16 places per key (DefaultMaxPerKey).
func DefaultPoolLimits() PoolLimits {
	const maxWaiting = 256
	return PoolLimits{
		Workers:      runtime.GOMAXPROCS(0),
		MaxWaiting:   maxWaiting,
		MaxWait:      10 * time.Second,
		FloodWaiting: 32,
		MaxPerKey:    DefaultMaxPerKey(maxWaiting),
	}
}

// DefaultMaxPerKey is the share of one key in a pool where maxWaiting
// callers may wait: a sixteenth of the line, and at least 4. With the
// default 256 it is 16, so filling the line takes at least 16 client
// networks at once, not one, while one network still has more places
// than a household or an office behind one address uses: 16 logins in
// flight at once, each about 50 ms of one CPU at the OWASP cost.
func DefaultMaxPerKey(maxWaiting int) int {
	return max(4, maxWaiting/16)
}

// PoolStats is a snapshot of a Pool's load.
type PoolStats struct {
	// Running is how many slots are taken: hashes running or about to.
	Running int
	// Waiting is how many callers wait for a slot.
	Waiting int
	// Keys is how many hashing keys hold places, running or waiting.
	Keys int
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
// default GOGC) reclaims it. A caller that finds no free slot waits, in
// arrival order, unless MaxWaiting callers already do, for at most MaxWait
// or until its context is done; if no slot comes, it gets an error
// wrapping domain.ErrUnavailable. A caller whose context carries a hashing
// key (usecase.WithHashingKey) that already holds MaxPerKey places gets
// that error at once too. While FloodWaiting or more wait, one slot is
// left unused (see PoolLimits). A Pool is safe for concurrent use.
type Pool struct {
	h          hasher
	workers    int
	maxWaiting int
	maxWait    time.Duration
	floodAt    int
	maxPerKey  int

	mu      sync.Mutex
	running int            // slots taken
	queue   []*waiter      // callers waiting, first come first
	held    map[string]int // places held per hashing key; none held, absent
}

// waiter is a caller waiting for a slot; ready is closed when it is given
// one.
type waiter struct{ ready chan struct{} }

// NewPool returns a Pool that runs h within l.
func NewPool(h *Hasher, l PoolLimits) *Pool {
	return newPool(h, l)
}

// newPool is NewPool for any hasher, so tests can hold slots with a fake.
func newPool(h hasher, l PoolLimits) *Pool {
	return &Pool{
		h:          h,
		workers:    max(l.Workers, 1),
		maxWaiting: max(l.MaxWaiting, 0),
		maxWait:    l.MaxWait,
		floodAt:    l.FloodWaiting,
		maxPerKey:  l.MaxPerKey,
		held:       make(map[string]int),
	}
}

// Hash hashes password with the Hasher once a slot is free; see Pool for
// when it gives up instead.
func (p *Pool) Hash(ctx context.Context, password domain.Password) (string, error) {
	key := usecase.HashingKeyOf(ctx)
	if err := p.acquire(ctx, key); err != nil {
		return "", err
	}
	defer p.release(key)
	return p.h.Hash(ctx, password)
}

// Verify verifies password against encoded with the Hasher once a slot is
// free; see Pool for when it gives up instead.
func (p *Pool) Verify(ctx context.Context, password domain.Password, encoded string) (match, needsRehash bool, err error) {
	key := usecase.HashingKeyOf(ctx)
	if err := p.acquire(ctx, key); err != nil {
		return false, false, err
	}
	defer p.release(key)
	return p.h.Verify(ctx, password, encoded)
}

// Saturated reports whether Hash or Verify called now with ctx would fail
// at once: ctx's hashing key holds its share already, or there is no slot
// to start on and MaxWaiting callers already wait (or no waiting is
// allowed). It is a snapshot; a caller that finds room may still be
// refused a moment later, and the other way round.
func (p *Pool) Saturated(ctx context.Context) bool {
	key := usecase.HashingKeyOf(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shareTaken(key) {
		return true
	}
	if len(p.queue) == 0 && p.running < p.limit() {
		return false
	}
	return p.maxWait <= 0 || len(p.queue) >= p.maxWaiting
}

// Stats reports how many slots are taken and how many callers wait.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Running: p.running, Waiting: len(p.queue), Keys: len(p.held)}
}

// limit is how many hashes may run now: Workers, or one fewer during a
// flood. The caller holds mu.
func (p *Pool) limit() int {
	if p.floodAt > 0 && p.workers > 1 && len(p.queue) >= p.floodAt {
		return p.workers - 1
	}
	return p.workers
}

// acquire takes a slot for a call with key ("" for none), waiting for one
// within the limits. On success the caller must release it with the same
// key.
func (p *Pool) acquire(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("argon2id: hashing pool: %w", err)
	}
	p.mu.Lock()
	if p.shareTaken(key) {
		p.mu.Unlock()
		return errShareFull
	}
	if len(p.queue) == 0 && p.running < p.limit() {
		p.running++
		p.hold(key)
		p.mu.Unlock()
		return nil
	}
	if p.maxWait <= 0 || len(p.queue) >= p.maxWaiting {
		p.mu.Unlock()
		return errPoolFull
	}
	w := &waiter{ready: make(chan struct{})}
	p.queue = append(p.queue, w)
	p.hold(key)
	p.mu.Unlock()

	timer := time.NewTimer(p.maxWait)
	defer timer.Stop()
	select {
	case <-w.ready:
		return nil
	case <-timer.C:
		return p.abandon(w, key, fmt.Errorf("argon2id: hashing pool busy, waited %v: %w", p.maxWait, domain.ErrUnavailable))
	case <-ctx.Done():
		return p.abandon(w, key, fmt.Errorf("argon2id: waiting for hashing pool: %w: %w", ctx.Err(), domain.ErrUnavailable))
	}
}

// abandon takes w, waiting for key, out of the line and returns err; if w
// was given a slot in the meantime, the slot goes back. Either way key's
// place is freed.
func (p *Pool) abandon(w *waiter, key string, err error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.unhold(key)
	select {
	case <-w.ready:
		p.running--
	default:
		if i := slices.Index(p.queue, w); i >= 0 {
			p.queue = slices.Delete(p.queue, i, i+1)
		}
	}
	p.dispatch()
	return err
}

// release frees a slot taken by acquire for key.
func (p *Pool) release(key string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running--
	p.unhold(key)
	p.dispatch()
}

// dispatch gives free slots to the first waiting callers. The caller
// holds mu.
func (p *Pool) dispatch() {
	for len(p.queue) > 0 && p.running < p.limit() {
		w := p.queue[0]
		p.queue[0] = nil
		p.queue = p.queue[1:]
		p.running++
		close(w.ready)
	}
}
