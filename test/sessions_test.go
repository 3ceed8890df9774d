package test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

func TestSessionLifetimesOverHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		remember bool
		waits    []time.Duration // between dashboard visits
		wantIn   bool            // still logged in at the end
	}{
		{"idle timeout ends a browser session", false, []time.Duration{31 * time.Minute}, false},
		{"activity keeps a browser session", false, []time.Duration{20 * time.Minute, 20 * time.Minute, 20 * time.Minute}, true},
		{"absolute timeout ends it anyway", false, fill(25*time.Minute, 30), false},
		{"remember me survives a long pause", true, []time.Duration{72 * time.Hour}, true},
		{"remember me ends after its duration", true, []time.Duration{721 * time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case boots its own server
			clock := newTestClock()
			srv := startServer(t, withFx(fx.Decorate(func(usecase.Clock) usecase.Clock { return clock })))
			b := srv.newBrowser()
			b.signup("alice", alicePassword)
			b.login("alice", alicePassword, tt.remember)
			var res response
			for _, d := range tt.waits {
				clock.Advance(d)
				res = b.get("/")
			}
			if in := res.StatusCode == http.StatusOK; in != tt.wantIn {
				t.Errorf("after %v: GET / status = %d, logged in = %v, want %v", tt.waits, res.StatusCode, in, tt.wantIn)
			}
		})
	}
}

func fill(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}
