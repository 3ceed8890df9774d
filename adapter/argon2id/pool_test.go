package argon2id

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// long is a MaxWait no test reaches, so only the limit under test applies.
const long = time.Hour

func TestDefaultPoolLimits(t *testing.T) {
	want := PoolLimits{Workers: runtime.GOMAXPROCS(0), MaxWaiting: 256, MaxWait: 10 * time.Second, FloodWaiting: 32, MaxPerKey: 16}
	if got := DefaultPoolLimits(); got != want {
		t.Errorf("DefaultPoolLimits() = %+v, want %+v", got, want)
	}
}

// TestNewPoolClampsWorkers protects memory from a zero or negative Workers:
// one slot, never an unbounded or a dead pool.
func TestNewPoolClampsWorkers(t *testing.T) {
	for _, workers := range []int{-1, 0, 1} {
		p := newPool(newBlockingHasher(), PoolLimits{Workers: workers})
		if got := p.workers; got != 1 {
			t.Errorf("newPool(Workers: %d) slots = %d, want 1", workers, got)
		}
	}
}

func TestPoolRunsAtMostWorkers(t *testing.T) {
	for _, workers := range []int{1, 2, 4} {
		pt := newPoolTest(t, PoolLimits{Workers: workers, MaxWaiting: 100, MaxWait: long})
		errcs := pt.occupy(workers+3, workers)
		pt.fake.unblock()
		for i, errc := range errcs {
			if err := pt.result("Hash()", errc); err != nil {
				t.Errorf("Workers %d: Hash() #%d error = %v, want nil", workers, i, err)
			}
		}
		if got := pt.fake.peak.Load(); got != int64(workers) {
			t.Errorf("Workers %d: most hashes at once = %d, want %d", workers, got, workers)
		}
		pt.drained()
	}
}

func TestPoolRefusesWaiterBeyondMaxWaiting(t *testing.T) {
	for _, maxWaiting := range []int{0, 1, 3} {
		pt := newPoolTest(t, PoolLimits{Workers: 1, MaxWaiting: maxWaiting, MaxWait: long})
		errcs := pt.occupy(1+maxWaiting, 1)
		for _, c := range pt.calls() {
			name, call := c.name, c.call
			err := pt.result(name+"() beyond MaxWaiting", call(t.Context()))
			if !errors.Is(err, domain.ErrUnavailable) || !strings.Contains(err.Error(), "pool full") {
				t.Errorf("MaxWaiting %d: %s() beyond it error = %v, want ErrUnavailable, pool full", maxWaiting, name, err)
			}
		}
		if got, want := pt.pool.Stats(), (PoolStats{Running: 1, Waiting: maxWaiting}); got != want {
			t.Errorf("MaxWaiting %d: Stats() after refusals = %+v, want %+v", maxWaiting, got, want)
		}
		pt.fake.unblock()
		for i, errc := range errcs {
			if err := pt.result("Hash()", errc); err != nil {
				t.Errorf("MaxWaiting %d: admitted Hash() #%d error = %v, want nil", maxWaiting, i, err)
			}
		}
		pt.drained()
	}
}

func TestPoolWaitTimesOut(t *testing.T) {
	tests := []struct {
		maxWait time.Duration
		wantMsg string
	}{
		{50 * time.Millisecond, "waited 50ms"},
		{0, "pool full"},
		{-time.Second, "pool full"},
	}
	for _, tt := range tests {
		pt := newPoolTest(t, PoolLimits{Workers: 1, MaxWaiting: 10, MaxWait: tt.maxWait})
		pt.occupy(1, 1)
		start := time.Now()
		err := pt.result("Hash() on a busy pool", pt.hash(t.Context()))
		took := time.Since(start)
		if !errors.Is(err, domain.ErrUnavailable) || !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("MaxWait %v: Hash() error = %v, want ErrUnavailable containing %q", tt.maxWait, err, tt.wantMsg)
		}
		if took < tt.maxWait {
			t.Errorf("MaxWait %v: Hash() failed after %v, want a wait of MaxWait", tt.maxWait, took)
		}
		pt.fake.unblock()
		pt.drained()
	}
}

func TestPoolWaitEndsWithContext(t *testing.T) {
	t.Run("canceled", func(t *testing.T) {
		pt := newPoolTest(t, PoolLimits{Workers: 1, MaxWaiting: 10, MaxWait: long})
		pt.occupy(1, 1)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		errc := pt.hash(ctx)
		pt.waitUntil("the caller waits", func() bool { return pt.pool.Stats().Waiting == 1 })
		cancel()
		err := pt.result("Hash() with a canceled context", errc)
		if !errors.Is(err, context.Canceled) || !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("Hash() canceled while waiting error = %v, want context.Canceled and ErrUnavailable", err)
		}
		pt.fake.unblock()
		pt.drained()
	})
	// The deadline may pass before or during the wait, so this one only
	// protects that a deadline, not MaxWait, ends it.
	t.Run("deadline", func(t *testing.T) {
		pt := newPoolTest(t, PoolLimits{Workers: 1, MaxWaiting: 10, MaxWait: long})
		pt.occupy(1, 1)
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		err := pt.result("Hash() with a deadline", pt.hash(ctx))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Hash() past its deadline error = %v, want context.DeadlineExceeded", err)
		}
		pt.fake.unblock()
		pt.drained()
	})
}

// TestPoolDoneContextTakesNoSlot checks that a request already given up
// neither waits nor runs a hash.
func TestPoolDoneContextTakesNoSlot(t *testing.T) {
	pt := newPoolTest(t, PoolLimits{Workers: 1, MaxWaiting: 10, MaxWait: long})
	pt.fake.unblock()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, c := range pt.calls() {
		name, call := c.name, c.call
		if err := pt.result(name+"()", call(ctx)); !errors.Is(err, context.Canceled) {
			t.Errorf("%s() with a canceled context error = %v, want context.Canceled", name, err)
		}
	}
	if got := pt.fake.calls.Load(); got != 0 {
		t.Errorf("hashes run for canceled contexts = %d, want 0", got)
	}
	pt.drained()
}

// TestPoolFlood sends 100 callers at once at 2 workers and 10 waiting
// places: exactly 12 get in, the other 88 are refused without waiting.
func TestPoolFlood(t *testing.T) {
	const callers, workers, maxWaiting = 100, 2, 10
	pt := newPoolTest(t, PoolLimits{Workers: workers, MaxWaiting: maxWaiting, MaxWait: long})
	var ok, refused atomic.Int64
	for range callers {
		pt.wg.Go(func() {
			_, err := pt.pool.Hash(t.Context(), testPassword("correct horse battery staple"))
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, domain.ErrUnavailable):
				refused.Add(1)
			default:
				t.Errorf("Hash() in a flood error = %v, want nil or ErrUnavailable", err)
			}
		})
	}
	// No slot frees while the fake blocks, so this is every caller decided.
	pt.waitUntil("88 refusals and a full pool", func() bool {
		return refused.Load() == callers-workers-maxWaiting &&
			pt.pool.Stats() == PoolStats{Running: workers, Waiting: maxWaiting}
	})
	pt.fake.unblock()
	pt.waitUntil("the admitted callers finish", func() bool { return ok.Load() == workers+maxWaiting })
	if got := refused.Load(); got != callers-workers-maxWaiting {
		t.Errorf("refused callers = %d, want %d", got, callers-workers-maxWaiting)
	}
	if got := pt.fake.peak.Load(); got != workers {
		t.Errorf("most hashes at once = %d, want %d", got, workers)
	}
	pt.drained()
}

// TestPoolWithHasher runs the real Hasher through a Pool: a round trip,
// and an error from Verify that must pass through and free its slot.
func TestPoolWithHasher(t *testing.T) {
	p := NewPool(newHasher(t, testParams), PoolLimits{Workers: 1, MaxWaiting: 4, MaxWait: patience})
	ctx := t.Context()
	const raw = "correct horse battery staple"
	encoded, err := p.Hash(ctx, testPassword(raw))
	if err != nil {
		t.Fatalf("Hash(%q) error = %v, want nil", raw, err)
	}
	tests := []struct {
		password  string
		encoded   string
		wantMatch bool
		wantErr   error
	}{
		{raw, encoded, true, nil},
		{raw + "!", encoded, false, nil},
		{raw, "$argon2id$v=19$m=64,t=1,p=1$$", false, ErrInvalidHash},
	}
	for _, tt := range tests {
		match, rehash, err := p.Verify(ctx, testPassword(tt.password), tt.encoded)
		if match != tt.wantMatch || rehash || !errors.Is(err, tt.wantErr) {
			t.Errorf("Verify(%q, %q) = %v, %v, %v, want %v, false, %v",
				tt.password, tt.encoded, match, rehash, err, tt.wantMatch, tt.wantErr)
		}
	}
	if got := p.Stats(); got != (PoolStats{}) {
		t.Errorf("Stats() after the calls = %+v, want zero", got)
	}
}

// TestPoolSaturated protects the early refusal of logins during a flood:
// the pool is saturated exactly when a call now would fail at once.
func TestPoolSaturated(t *testing.T) {
	limits := PoolLimits{Workers: 2, MaxWaiting: 2, MaxWait: long}
	for n := range 4 {
		pt := newPoolTest(t, limits)
		pt.occupy(n, 2)
		if pt.pool.Saturated(t.Context()) {
			t.Errorf("%d calls in a pool of 2 slots and 2 waiting: Saturated() = true, want false", n)
		}
		pt.fake.unblock()
	}
	pt := newPoolTest(t, limits)
	errcs := pt.occupy(4, 2)
	if !pt.pool.Saturated(t.Context()) {
		t.Error("2 running and 2 waiting of 2 + 2: Saturated() = false, want true")
	}
	if err := pt.result("Hash() when saturated", pt.hash(t.Context())); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Hash() when Saturated() = %v, want ErrUnavailable at once", err)
	}
	pt.fake.unblock()
	for _, errc := range errcs {
		_ = pt.result("Hash()", errc)
	}
	pt.drained()
	if pt.pool.Saturated(t.Context()) {
		t.Error("drained pool: Saturated() = true, want false")
	}

	noWait := newPoolTest(t, PoolLimits{Workers: 1})
	if noWait.pool.Saturated(t.Context()) {
		t.Error("idle pool that lets no one wait: Saturated() = true, want false")
	}
	noWait.occupy(1, 1)
	if !noWait.pool.Saturated(t.Context()) {
		t.Error("full pool that lets no one wait: Saturated() = false, want true")
	}
}

// steppedHasher is a fake whose calls each wait for one token on release,
// so a test can let hashes finish one at a time.
type steppedHasher struct {
	release chan struct{}
	running atomic.Int64
	done    atomic.Int64
}

func (f *steppedHasher) step() {
	f.running.Add(1)
	<-f.release
	f.running.Add(-1)
	f.done.Add(1)
}

func (f *steppedHasher) Hash(context.Context, domain.Password) (string, error) {
	f.step()
	return "fake hash", nil
}

func (f *steppedHasher) Verify(context.Context, domain.Password, string) (bool, bool, error) {
	f.step()
	return true, false, nil
}

// TestPoolKeepsACoreDuringAFlood protects pages during a login flood:
// while FloodWaiting or more callers wait, a freed slot is not given to
// the next caller until fewer than Workers-1 hashes run; once the line is
// shorter, the pool runs Workers again.
func TestPoolKeepsACoreDuringAFlood(t *testing.T) {
	f := &steppedHasher{release: make(chan struct{})}
	p := newPool(f, PoolLimits{Workers: 2, MaxWaiting: 10, MaxWait: long, FloodWaiting: 3})
	var wg sync.WaitGroup
	t.Cleanup(func() { close(f.release); wg.Wait() })
	pt := &poolTest{t: t, pool: p}
	call := func() {
		wg.Go(func() {
			if _, err := p.Hash(context.Background(), testPassword("correct horse battery staple")); err != nil {
				t.Errorf("Hash() error = %v", err)
			}
		})
	}
	state := func(what string, running, waiting int) {
		t.Helper()
		want := PoolStats{Running: running, Waiting: waiting}
		pt.waitUntil(what, func() bool {
			return p.Stats() == want && f.running.Load() == int64(running)
		})
		time.Sleep(20 * time.Millisecond) // nothing else may start
		if got := p.Stats(); got != want || f.running.Load() != int64(running) {
			t.Fatalf("%s: Stats() = %+v with %d hashing, want %+v", what, got, f.running.Load(), want)
		}
	}
	call()
	call()
	state("two callers, no line", 2, 0)
	for range 4 {
		call()
	}
	state("a line of 4 (a flood from 3)", 2, 4)
	f.release <- struct{}{}
	state("one done during the flood: its slot stays free", 1, 4)
	f.release <- struct{}{}
	state("the other done: one starts, 3 still wait", 1, 3)
	f.release <- struct{}{}
	state("line below 3: two run again", 2, 1)
	if p.Saturated(t.Context()) {
		t.Error("Saturated() with room in the line = true, want false")
	}
}
