package test

import (
	"fmt"
	"net/http"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

// Rotating client addresses gives no more guesses against one account
// than LOGIN_ACCOUNT_MAX_FAILURES_PER_HOUR, and the owner, whose browser
// or app logged in before, still gets in: OWASP's device cookies.

// behindProxy trusts the loopback proxy, so each client's address is the
// X-Forwarded-For it sends.
func behindProxy(c *config.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// from sets the address a client comes from, through the trusted proxy.
func from(h http.Header, i int) {
	h.Set("X-Forwarded-For", fmt.Sprintf("198.18.%d.%d", i/250, 1+i%250))
}

func TestAccountBudgetRefusesRotatingAddressesButNotTheOwner(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(behindProxy))
	owner := srv.newBrowser()
	from(owner.header, 1000)
	owner.signup("alice", alicePassword)
	owner.login("alice", alicePassword, false)
	owner.post("/logout", nil)
	if owner.cookie("gatehouse_device") == nil {
		t.Fatalf("a successful login set no gatehouse_device cookie")
	}

	const attempts, budget = 25, 20 // LOGIN_ACCOUNT_MAX_FAILURES_PER_HOUR's default
	for i := range attempts {
		attacker := srv.newBrowser()
		from(attacker.header, i)
		res := loginAttempt(attacker, "alice", "wrong password!")
		want := http.StatusUnauthorized
		if i >= budget {
			want = http.StatusTooManyRequests
		}
		if res.StatusCode != want {
			t.Errorf("unknown device #%d from its own address = %d, want %d", i+1, res.StatusCode, want)
		}
	}

	stranger := srv.newBrowser()
	from(stranger.header, 2000)
	if res := loginAttempt(stranger, "alice", alicePassword); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("an unknown device with the right password after the budget = %d (Retry-After %q), want 429", res.StatusCode, res.Header.Get("Retry-After"))
	}
	forger := srv.newBrowser()
	from(forger.header, 2001)
	forger.setCookie("gatehouse_device", owner.cookie("gatehouse_device").Value+"x")
	if res := loginAttempt(forger, "alice", alicePassword); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie with the right password after the budget = %d, want 429 like any unknown device", res.StatusCode)
	}
	from(owner.header, 2002)
	if res := loginAttempt(owner, "alice", alicePassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the owner's browser, known device, from a new address = %d, want 303", res.StatusCode)
	}
}

func TestAPIDeviceTokenRoundTrip(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) {
		behindProxy(c)
		c.LoginAccountMaxFailuresPerHour = 3
	}))
	app := srv.newAPIClient()
	from(app.header, 1000)
	app.signup("alice", alicePassword)
	_, first := app.login("alice", alicePassword, false)
	if first.DeviceToken == "" {
		t.Fatalf("POST /sessions answered no device_token")
	}
	// A device token from another account vouches for nothing here.
	app.signup("bobby", bobPassword)
	_, bob := app.login("bobby", bobPassword, false)

	for i := range 3 {
		attacker := srv.newAPIClient()
		from(attacker.header, i)
		attacker.call(http.MethodPost, v1+"/sessions", map[string]any{"username": "alice", "password": "wrong password!"}).
			wantError(t, "POST /sessions, unknown device, wrong password", http.StatusUnauthorized, "invalid_credentials")
	}
	tests := []struct {
		name       string
		token      string
		wantStatus int
	}{
		{"no device token", "", http.StatusTooManyRequests},
		{"a forged device token", first.DeviceToken + "x", http.StatusTooManyRequests},
		{"bobby's device token", bob.DeviceToken, http.StatusTooManyRequests},
		{"alice's device token", first.DeviceToken, http.StatusCreated},
	}
	for i, tt := range tests {
		c := srv.newAPIClient()
		from(c.header, 100+i)
		body := map[string]any{"username": "alice", "password": alicePassword}
		if tt.token != "" {
			body["device_token"] = tt.token
		}
		res := c.call(http.MethodPost, v1+"/sessions", body)
		if res.StatusCode != tt.wantStatus {
			t.Errorf("POST /sessions with %s after the account's budget = %d, want %d; body: %s", tt.name, res.StatusCode, tt.wantStatus, res.Body)
		}
		if tt.wantStatus == http.StatusCreated {
			var s apiSession
			res.decode(t, &s)
			if s.DeviceToken == "" || s.DeviceToken == first.DeviceToken {
				t.Errorf("POST /sessions with a device token answered device_token %q, want a new one", s.DeviceToken)
			}
		}
	}
}
