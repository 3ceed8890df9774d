package argon2id

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// patience bounds how long a test waits for something that should happen
// at once, so a broken pool fails the test instead of hanging it.
const patience = 5 * time.Second

// blockingHasher is a fake hasher whose calls block until unblock, then
// take hold each. It counts calls and the most that ran at once, in all
// and per hashing key.
type blockingHasher struct {
	gate    chan struct{}
	once    sync.Once
	hold    time.Duration
	calls   atomic.Int64
	running atomic.Int64
	peak    atomic.Int64

	mu         sync.Mutex
	keyRunning map[string]int
	keyPeak    int // the most calls of one key that ran at once
}

func newBlockingHasher() *blockingHasher {
	return &blockingHasher{gate: make(chan struct{}), keyRunning: make(map[string]int)}
}

// unblock lets every call, held or future, finish.
func (f *blockingHasher) unblock() { f.once.Do(func() { close(f.gate) }) }

func (f *blockingHasher) Hash(ctx context.Context, _ domain.Password) (string, error) {
	f.run(usecase.HashingKeyOf(ctx))
	return "fake hash", nil
}

func (f *blockingHasher) Verify(ctx context.Context, _ domain.Password, _ string) (bool, bool, error) {
	f.run(usecase.HashingKeyOf(ctx))
	return true, false, nil
}

func (f *blockingHasher) run(key string) {
	f.calls.Add(1)
	n := f.running.Add(1)
	defer f.running.Add(-1)
	for old := f.peak.Load(); n > old && !f.peak.CompareAndSwap(old, n); old = f.peak.Load() {
	}
	if key != "" {
		f.mu.Lock()
		f.keyRunning[key]++
		f.keyPeak = max(f.keyPeak, f.keyRunning[key])
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.keyRunning[key]--
			f.mu.Unlock()
		}()
	}
	<-f.gate
	time.Sleep(f.hold)
}

// poolTest is a Pool over a blockingHasher, with callers run in goroutines
// that are all finished, the fake unblocked, before the test ends.
type poolTest struct {
	t    *testing.T
	pool *Pool
	fake *blockingHasher
	wg   sync.WaitGroup
}

func newPoolTest(t *testing.T, l PoolLimits) *poolTest {
	t.Helper()
	pt := &poolTest{t: t, fake: newBlockingHasher()}
	pt.pool = newPool(pt.fake, l)
	t.Cleanup(pt.wg.Wait)
	t.Cleanup(pt.fake.unblock) // cleanups run last first: unblock, then wait
	return pt
}

// hash calls Pool.Hash in a new goroutine and returns a channel that will
// hold its error.
func (pt *poolTest) hash(ctx context.Context) <-chan error {
	errc := make(chan error, 1)
	pt.wg.Go(func() {
		_, err := pt.pool.Hash(ctx, testPassword("correct horse battery staple"))
		errc <- err
	})
	return errc
}

// verify is hash for Pool.Verify.
func (pt *poolTest) verify(ctx context.Context) <-chan error {
	errc := make(chan error, 1)
	pt.wg.Go(func() {
		_, _, err := pt.pool.Verify(ctx, testPassword("correct horse battery staple"), "fake hash")
		errc <- err
	})
	return errc
}

// calls lists hash and verify by the Pool method they call.
func (pt *poolTest) calls() []struct {
	name string
	call func(context.Context) <-chan error
} {
	return []struct {
		name string
		call func(context.Context) <-chan error
	}{{"Hash", pt.hash}, {"Verify", pt.verify}}
}

// occupy starts n calls and waits until the first Workers of them hold a
// slot inside the fake and the rest wait.
func (pt *poolTest) occupy(n, workers int) []<-chan error {
	pt.t.Helper()
	errcs := make([]<-chan error, n)
	for i := range errcs {
		errcs[i] = pt.hash(pt.t.Context())
		if i < workers {
			// One at a time, so the first callers are the ones that run.
			pt.waitUntil("a held call enters the fake", func() bool { return pt.fake.running.Load() == int64(i+1) })
		}
	}
	want := PoolStats{Running: min(n, workers), Waiting: max(n-workers, 0)}
	pt.waitUntil("the pool fills", func() bool { return pt.pool.Stats() == want })
	return errcs
}

// waitUntil polls cond until it holds, failing the test after patience.
func (pt *poolTest) waitUntil(what string, cond func() bool) {
	pt.t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			pt.t.Fatalf("waited %v for %s, Stats() = %+v", patience, what, pt.pool.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}

// result receives a call's error, failing the test if none comes within
// patience.
func (pt *poolTest) result(what string, errc <-chan error) error {
	pt.t.Helper()
	select {
	case err := <-errc:
		return err
	case <-time.After(patience):
		pt.t.Fatalf("%s still blocked after %v, Stats() = %+v", what, patience, pt.pool.Stats())
		return nil
	}
}

// drained checks that every slot is free and that a call succeeds again.
func (pt *poolTest) drained() {
	pt.t.Helper()
	pt.waitUntil("the pool drains", func() bool { return pt.pool.Stats() == PoolStats{} })
	if err := pt.result("Hash() after the load", pt.hash(pt.t.Context())); err != nil {
		pt.t.Errorf("Hash() after the load error = %v, want nil", err)
	}
	if got := pt.pool.Stats(); got != (PoolStats{}) {
		pt.t.Errorf("Stats() after the load = %+v, want zero", got)
	}
}
