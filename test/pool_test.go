package test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// withShortRefusalHold holds a login refused by a saturated hashing pool
// for 20 ms instead of usecase.DefaultRefusalHold's second: the hold is
// there for clients that resend at once, which the flood tests' clients do
// not, so at the full second it only made each flood test a second
// longer. usecase's own tests check the hold. It is an Invoke, not a
// Decorate: fx runs a decorator only for a value some constructor asks
// for, and the site and the API ask for httpx.Authenticator (the same
// *usecase.Authenticator), never for *usecase.Authenticator itself.
func withShortRefusalHold() option {
	return withFx(fx.Invoke(func(a *usecase.Authenticator) { a.SetRefusalHold(20 * time.Millisecond) }))
}

// TestHashingFloodGets503 floods logins at a pool of one worker with one
// waiting place: the extra logins get 503 with Retry-After, never a 500,
// and pages that do not hash keep answering meanwhile.
func TestHashingFloodGets503(t *testing.T) {
	t.Parallel()
	limits := argon2id.PoolLimits{Workers: 1, MaxWaiting: 1, MaxWait: 5 * time.Second}
	// Hashing at the production cost, so that the flood outlasts the
	// one worker and its one waiting place.
	srv := startServer(t, withOWASPArgon2(), withShortRefusalHold(), withFx(fx.Decorate(func(argon2id.PoolLimits) argon2id.PoolLimits { return limits })))
	srv.newBrowser().signup("alice", alicePassword)

	const flood = 24
	browsers := make([]*browser, flood)
	tokens := make([]string, flood)
	for i := range browsers {
		browsers[i] = srv.newBrowser()
		tokens[i] = browsers[i].csrfToken()
	}
	var wg sync.WaitGroup
	statuses := make([]int, flood)
	retryAfter := make([]string, flood)
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"username": {"alice"}, "password": {"wrong password!"}, "csrf_token": {tokens[i]}}
			res := browsers[i].postRaw("/login", form, nil)
			statuses[i], retryAfter[i] = res.StatusCode, res.Header.Get("Retry-After")
		}()
	}
	page := srv.newBrowser().get("/login")
	wg.Wait()

	if page.StatusCode != http.StatusOK {
		t.Errorf("GET /login during the flood = %d, want 200", page.StatusCode)
	}
	counts := map[int]int{}
	for i, s := range statuses {
		counts[s]++
		if s == http.StatusServiceUnavailable && retryAfter[i] == "" {
			t.Errorf("a 503 without Retry-After")
		}
	}
	for s := range counts {
		if s != http.StatusUnauthorized && s != http.StatusTooManyRequests && s != http.StatusServiceUnavailable {
			t.Errorf("flood statuses %v: %d is not 401, 429 or 503", counts, s)
		}
	}
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("flood statuses %v: want some 503 from a full hashing pool", counts)
	}
}
