package test

import (
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx"
)

// TestHashingFloodFromOneAddressLeavesOthersServed floods logins from one
// address at a pool of one worker and 8 waiting places, of which one
// client network may hold 2: the flood gets 503s, and meanwhile logins and
// a signup from other addresses are served. Without the share the flood
// holds all 9 places and the others get 503 too.
func TestHashingFloodFromOneAddressLeavesOthersServed(t *testing.T) {
	t.Parallel()
	limits := argon2id.PoolLimits{Workers: 1, MaxWaiting: 4, MaxWait: 10 * time.Second, MaxPerKey: 2}
	// Hashing at the production cost, so that the flood's hashes last
	// long enough to keep the pool busy.
	srv := startServer(t, withOWASPArgon2(), withShortRefusalHold(),
		withConfig(func(c *config.Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")} }),
		withFx(fx.Decorate(func(argon2id.PoolLimits) argon2id.PoolLimits { return limits })))
	srv.newBrowser().signup("alice", alicePassword)

	// Twelve clients behind one address resend as soon as they are
	// answered, until the others are done.
	const flooders = 8
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var unavailable atomic.Int64
	browsers, forms := make([]*browser, flooders), make([]url.Values, flooders)
	for i := range browsers {
		browsers[i] = srv.newBrowser()
		browsers[i].header.Set("X-Forwarded-For", "203.0.113.66")
		forms[i] = url.Values{"username": {"mallory"}, "password": {"wrong password!"}, "csrf_token": {browsers[i].csrfToken()}}
	}
	for i := range flooders {
		b, form := browsers[i], forms[i]
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				res := b.postRaw("/login", form, map[string]string{"Origin": srv.origin()})
				if res.StatusCode == http.StatusServiceUnavailable {
					unavailable.Add(1)
				}
			}
		})
	}
	defer wg.Wait()
	defer close(stop)
	deadline := time.Now().Add(10 * time.Second)
	for unavailable.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if unavailable.Load() == 0 {
		t.Fatal("the flood got no 503 in 10s: it did not fill its share of the hashing pool")
	}

	for i, addr := range []string{"198.51.100.7", "198.51.100.8"} {
		user := srv.newBrowser()
		user.header.Set("X-Forwarded-For", addr)
		if res := loginAttempt(user, "alice", alicePassword); res.StatusCode != http.StatusSeeOther {
			t.Errorf("login #%d from %s during a flood from 203.0.113.66 = %d, want 303", i, addr, res.StatusCode)
		}
	}
	newcomer := srv.newBrowser()
	newcomer.header.Set("X-Forwarded-For", "2001:db8:7::1")
	if res := newcomer.post("/signup", url.Values{"username": {"carol"}, "password": {"a good long passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signup from 2001:db8:7::1 during a flood from 203.0.113.66 = %d, want 303", res.StatusCode)
	}
}
