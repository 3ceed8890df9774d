package argon2id

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Two client networks, as the use cases key their hashing.
const keyA, keyB = "192.0.2.1", "2001:db8::/64"

// takeShare starts n calls with ctx one after the other, each admitted
// (running or waiting) before the next starts.
func (pt *poolTest) takeShare(ctx context.Context, n int) []<-chan error {
	pt.t.Helper()
	errcs := make([]<-chan error, n)
	for i := range errcs {
		before := pt.pool.Stats()
		errcs[i] = pt.hash(ctx)
		pt.waitUntil("a call is admitted", func() bool {
			s := pt.pool.Stats()
			return s.Running+s.Waiting == before.Running+before.Waiting+1
		})
	}
	return errcs
}

// TestPoolRefusesAKeyBeyondItsShare protects everyone else's logins from
// one client's flood: once one key holds MaxPerKey places, running or
// waiting, its next call is refused at once, while another key and a
// call without a key still get a place.
func TestPoolRefusesAKeyBeyondItsShare(t *testing.T) {
	tests := []struct {
		name                string
		workers, maxPerKey  int
		wantRunning, wantIn int // wantIn: the key's calls waiting
	}{
		{"share running and waiting", 1, 3, 1, 2},
		{"share equal to the workers", 2, 2, 2, 0},
		{"share below the workers, slots left free", 4, 2, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt := newPoolTest(t, PoolLimits{Workers: tt.workers, MaxWaiting: 10, MaxWait: long, MaxPerKey: tt.maxPerKey})
			ctxA := usecase.WithHashingKey(t.Context(), keyA)
			ctxB := usecase.WithHashingKey(t.Context(), keyB)
			admitted := pt.takeShare(ctxA, tt.maxPerKey)

			if !pt.pool.Saturated(ctxA) {
				t.Errorf("Saturated(key %q holding its share) = false, want true", keyA)
			}
			if pt.pool.Saturated(ctxB) || pt.pool.Saturated(t.Context()) {
				t.Errorf("Saturated(another key, no key) = %v, %v, want false, false", pt.pool.Saturated(ctxB), pt.pool.Saturated(t.Context()))
			}
			for _, c := range pt.calls() {
				err := pt.result(c.name+"() beyond the share", c.call(ctxA))
				if !errors.Is(err, domain.ErrUnavailable) || !strings.Contains(err.Error(), "share") {
					t.Errorf("%s(key %q beyond its share) error = %v, want ErrUnavailable, share", c.name, keyA, err)
				}
			}
			want := PoolStats{Running: tt.wantRunning, Waiting: tt.wantIn, Keys: 1}
			if got := pt.pool.Stats(); got != want {
				t.Errorf("Stats() after the refusals = %+v, want %+v", got, want)
			}

			admitted = append(admitted, pt.takeShare(ctxB, 1)...)
			admitted = append(admitted, pt.takeShare(t.Context(), 1)...)
			if got := pt.pool.Stats().Keys; got != 2 {
				t.Errorf("Stats().Keys with keys %q and %q and a keyless call = %d, want 2", keyA, keyB, got)
			}
			pt.fake.unblock()
			for i, errc := range admitted {
				if err := pt.result("an admitted call", errc); err != nil {
					t.Errorf("admitted call #%d error = %v, want nil", i, err)
				}
			}
			if got := pt.fake.keyPeak; got > tt.maxPerKey {
				t.Errorf("most hashes of one key at once = %d, want at most %d", got, tt.maxPerKey)
			}
			pt.drained()
		})
	}
}

// TestPoolFreesAKeysPlaceWhenItsCallEnds protects the share from leaking:
// a place is the key's again when its call finishes, is canceled while
// waiting, or waits MaxWait in vain.
func TestPoolFreesAKeysPlaceWhenItsCallEnds(t *testing.T) {
	t.Run("finished", func(t *testing.T) {
		f := &steppedHasher{release: make(chan struct{})}
		p := newPool(f, PoolLimits{Workers: 1, MaxWaiting: 10, MaxWait: long, MaxPerKey: 2})
		pt := &poolTest{t: t, pool: p}
		t.Cleanup(func() { close(f.release); pt.wg.Wait() })
		ctxA := usecase.WithHashingKey(t.Context(), keyA)
		pt.takeShare(ctxA, 2)
		f.release <- struct{}{}
		pt.waitUntil("the first call finishes", func() bool { return f.done.Load() == 1 && f.running.Load() == 1 })
		if got, want := p.Stats(), (PoolStats{Running: 1, Keys: 1}); got != want {
			t.Errorf("Stats() after one of the key's calls finished = %+v, want %+v", got, want)
		}
		pt.takeShare(ctxA, 1) // the freed place
		if err := pt.result("Hash() beyond the share", pt.hash(ctxA)); !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("Hash(key %q, share taken again) error = %v, want ErrUnavailable", keyA, err)
		}
	})

	ends := []struct {
		name    string
		maxWait time.Duration
		end     func(cancel context.CancelFunc)
		wantErr error
	}{
		{"canceled while waiting", long, func(cancel context.CancelFunc) { cancel() }, context.Canceled},
		// The error says the call waited: "waited 20ms".
		{"waited MaxWait", 20 * time.Millisecond, func(context.CancelFunc) {}, domain.ErrUnavailable},
	}
	for _, tt := range ends {
		t.Run(tt.name, func(t *testing.T) {
			pt := newPoolTest(t, PoolLimits{Workers: 1, MaxWaiting: 10, MaxWait: tt.maxWait, MaxPerKey: 2})
			ctxA := usecase.WithHashingKey(t.Context(), keyA)
			running := pt.takeShare(ctxA, 1)
			waitCtx, cancel := context.WithCancel(ctxA)
			defer cancel()
			waiting := pt.hash(waitCtx)
			if tt.maxWait == long {
				pt.waitUntil("the call waits", func() bool { return pt.pool.Stats().Waiting == 1 })
			}
			tt.end(cancel)
			if err := pt.result("the waiting call", waiting); !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), "wait") {
				t.Fatalf("Hash(key %q) %s error = %v, want %v", keyA, tt.name, err, tt.wantErr)
			}
			if got, want := pt.pool.Stats(), (PoolStats{Running: 1, Keys: 1}); got != want {
				t.Errorf("Stats() after the waiting call ended = %+v, want %+v", got, want)
			}
			if pt.pool.Saturated(ctxA) {
				t.Errorf("Saturated(key %q holding 1 of 2) = true, want false", keyA)
			}
			pt.fake.unblock()
			if err := pt.result("the running call", running[0]); err != nil {
				t.Errorf("running Hash(key %q) error = %v, want nil", keyA, err)
			}
			pt.drained()
		})
	}
}

// TestPoolStressWithKeys runs 60 goroutines over 6 keys against 2
// workers, 10 waiting places and a share of 3, with waits ending by
// MaxWait and by deadlines all the time: every call succeeds or returns
// ErrUnavailable, no key ever runs more than its share, and when all is
// done no key holds a place.
func TestPoolStressWithKeys(t *testing.T) {
	const goroutines, keys, callsEach, share = 60, 6, 20, 3
	pt := newPoolTest(t, PoolLimits{Workers: 2, MaxWaiting: 10, MaxWait: 20 * time.Millisecond, MaxPerKey: share})
	pt.fake.hold = 100 * time.Microsecond
	pt.fake.unblock()
	pw := testPassword("correct horse battery staple")
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			key := fmt.Sprintf("198.51.100.%d", g%keys)
			for i := range callsEach {
				ctx, cancel := context.WithTimeout(usecase.WithHashingKey(t.Context(), key), time.Duration(1+i%4)*time.Millisecond)
				var err error
				if (g+i)%2 == 0 {
					_, err = pt.pool.Hash(ctx, pw)
				} else {
					_, _, err = pt.pool.Verify(ctx, pw, "fake hash")
				}
				cancel()
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, domain.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
					refused.Add(1)
				default:
					t.Errorf("call under stress error = %v, want nil, ErrUnavailable or a deadline", err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("calls under stress still running after 30s, Stats() = %+v", pt.pool.Stats())
	}
	t.Logf("%d calls succeeded, %d refused", ok.Load(), refused.Load())
	if ok.Load() == 0 {
		t.Errorf("calls that succeeded = 0, want some: the pool admitted nobody")
	}
	if got := pt.fake.keyPeak; got > share {
		t.Errorf("most hashes of one key at once = %d, want at most %d", got, share)
	}
	pt.drained()
}
