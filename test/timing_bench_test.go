package test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

// BenchmarkLoginOutcomes times a failed login over HTTP for an unknown
// name, a wrong password and a locked-out account, in one run, so the
// three can be compared as ratios: they must be indistinguishable.
//
//	go test ./test -run '^$' -bench LoginOutcomes -benchtime 100x -count 5
func BenchmarkLoginOutcomes(b *testing.B) {
	clock := newTestClock() // frozen, so the lock never runs out
	srv := startServer(b, withOWASPArgon2(), withClock(clock), withConfig(func(c *config.Config) {
		c.LoginIPMaxFailuresPerHour = 1_000_000
		c.LoginMaxFailures = 1_000_000
	}))
	srv.newBrowser().signup("alice", alicePassword)

	locker := startServer(b, withOWASPArgon2(), withClock(clock), withConfig(func(c *config.Config) {
		c.LoginIPMaxFailuresPerHour = 1_000_000
	}))
	lb := locker.newBrowser()
	lb.signup("locked", alicePassword)
	for range 5 {
		loginAttempt(lb, "locked", "wrong password!")
	}

	cases := []struct {
		name       string
		srv        *testServer
		username   string
		password   string
		wantStatus int
	}{
		{"unknown-user", srv, "nobody", "wrong password!", http.StatusUnauthorized},
		{"wrong-password", srv, "alice", "wrong password!", http.StatusUnauthorized},
		{"throttled", locker, "locked", alicePassword, http.StatusTooManyRequests},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			br := tc.srv.newBrowser()
			token := br.csrfToken()
			form := url.Values{"username": {tc.username}, "password": {tc.password}, "csrf_token": {token}}
			b.ResetTimer()
			for range b.N {
				if res := br.postRaw("/login", form, nil); res.StatusCode != tc.wantStatus {
					b.Fatalf("POST /login as %s = %d, want %d", tc.username, res.StatusCode, tc.wantStatus)
				}
			}
		})
	}
}
