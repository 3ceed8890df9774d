package argon2id

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// TestPoolStress runs 100 goroutines of Hash and Verify calls against 2
// workers and 10 waiting places, with slots turning over all the time:
// every call succeeds or returns ErrUnavailable, none hangs, and never more
// than 2 hashes run at once.
func TestPoolStress(t *testing.T) {
	const goroutines, callsEach, workers = 100, 20, 2
	pt := newPoolTest(t, PoolLimits{Workers: workers, MaxWaiting: 10, MaxWait: 50 * time.Millisecond})
	pt.fake.hold = 100 * time.Microsecond
	pt.fake.unblock()
	pw := testPassword("correct horse battery staple")
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range callsEach {
				var err error
				if (g+i)%2 == 0 {
					_, err = pt.pool.Hash(t.Context(), pw)
				} else {
					_, _, err = pt.pool.Verify(t.Context(), pw, "fake hash")
				}
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, domain.ErrUnavailable):
					refused.Add(1)
				default:
					t.Errorf("call under stress error = %v, want nil or ErrUnavailable", err)
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
	if got := ok.Load() + refused.Load(); got != goroutines*callsEach {
		t.Errorf("calls that succeeded or were refused = %d, want %d", got, goroutines*callsEach)
	}
	if ok.Load() == 0 {
		t.Errorf("calls that succeeded = 0, want some: the pool admitted nobody")
	}
	if got := pt.fake.peak.Load(); got > workers {
		t.Errorf("most hashes at once = %d, want at most %d", got, workers)
	}
	pt.drained()
}
