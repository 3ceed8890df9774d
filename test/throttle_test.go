package test

import (
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

func withClock(clock *testClock) option {
	return withFx(fx.Decorate(func(usecase.Clock) usecase.Clock { return clock }))
}

func loginAttempt(b *browser, username, password string) response {
	b.t.Helper()
	return b.post("/login", url.Values{"username": {username}, "password": {password}})
}

// stripVolatile removes what differs between two renderings by design.
func stripVolatile(body string) string {
	return csrfInput.ReplaceAllString(body, "")
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)

	for i := 1; i <= 5; i++ {
		if res := loginAttempt(b, "alice", "wrong password!"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d = %d, want 401", i, res.StatusCode)
		}
	}
	wrong := loginAttempt(b, "alice", "wrong password!")
	right := loginAttempt(b, "alice", alicePassword)
	for name, res := range map[string]response{"wrong": wrong, "right": right} {
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "30" {
			t.Errorf("%s password while locked = %d, Retry-After %q; want 429 with 30", name, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	if stripVolatile(wrong.Body) != stripVolatile(right.Body) {
		t.Errorf("the locked-out answer differs for the right password: it must not tell")
	}
	if b.cookie("gatehouse_session") != nil {
		t.Fatalf("a locked-out login set a session cookie")
	}

	// Another account from the same client is not locked.
	b.signup("bobby", bobPassword)
	b.login("bobby", bobPassword, false)
	b.post("/logout", nil)

	// After the delay, the sixth failure locks for 60 s.
	clock.Advance(30 * time.Second)
	loginAttempt(b, "alice", "wrong password!")
	if res := loginAttempt(b, "alice", alicePassword); res.Header.Get("Retry-After") != "60" {
		t.Errorf("after a 6th failure: Retry-After %q, want 60", res.Header.Get("Retry-After"))
	}
	clock.Advance(time.Minute)
	b.login("alice", alicePassword, false) // the reset

	b.post("/logout", nil)
	for i := 1; i <= 4; i++ {
		if res := loginAttempt(b, "alice", "wrong password!"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("after the reset, failure %d = %d, want 401", i, res.StatusCode)
		}
	}
}

func TestLockoutSurvivesRestart(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "users.db")
	onFile := withConfig(func(c *config.Config) { c.DatabaseURL = dbURL })
	first := startServer(t, onFile)
	b := first.newBrowser()
	b.signup("alice", alicePassword)
	for range 5 {
		loginAttempt(b, "alice", "wrong password!")
	}

	second := startServer(t, onFile)
	if res := loginAttempt(second.newBrowser(), "alice", alicePassword); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login after a restart = %d, want 429: the lock lives in the database", res.StatusCode)
	}
}

func TestNetworkFailureCap(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.LoginIPMaxFailuresPerHour = 3 }))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	for _, name := range []string{"carol", "dave", "erin"} {
		if res := loginAttempt(b, name, "Summer2026!!"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("spray on %s = %d, want 401", name, res.StatusCode)
		}
	}
	res := loginAttempt(b, "alice", alicePassword)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("4th attempt from one network in an hour = %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

func TestSignupCap(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.SignupMaxPerIPPerHour = 2 }))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.signup("bobby", bobPassword)
	res := b.post("/signup", url.Values{"username": {"carol"}, "password": {"a third fine password"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("3rd signup in an hour = %d (Retry-After %q), want 429", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if !strings.Contains(res.Body, `value="carol"`) {
		t.Errorf("the refused signup form lost the username")
	}
}

// TestTrustedProxies checks which address is throttled behind a proxy:
// the right-most X-Forwarded-For entry that is not a trusted proxy, and
// never one the client wrote itself.
func TestTrustedProxies(t *testing.T) {
	t.Parallel()
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	srv := startServer(t, withConfig(func(c *config.Config) {
		c.TrustedProxies = loopback
		c.LoginMaxFailures = 2
	}))
	setup := srv.newBrowser()
	setup.signup("alice", alicePassword)

	attacker := srv.newBrowser()
	attacker.header.Set("X-Forwarded-For", "203.0.113.66")
	loginAttempt(attacker, "alice", "wrong password!")
	loginAttempt(attacker, "alice", "wrong password!")
	if res := loginAttempt(attacker, "alice", alicePassword); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("attacker after 2 failures = %d, want 429", res.StatusCode)
	}

	// Prepending a made-up address does not escape the lock: the proxy
	// appends the real one, and that is the one believed.
	spoofer := srv.newBrowser()
	spoofer.header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.66")
	if res := loginAttempt(spoofer, "alice", alicePassword); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("attacker with a forged left-most entry = %d, want 429", res.StatusCode)
	}

	user := srv.newBrowser()
	user.header.Set("X-Forwarded-For", "198.51.100.7")
	if res := loginAttempt(user, "alice", alicePassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the real user from another address = %d, want 303", res.StatusCode)
	}
}

func TestUntrustedForwardedForIsIgnored(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.LoginMaxFailures = 2 }))
	srv.newBrowser().signup("alice", alicePassword)
	for _, xff := range []string{"203.0.113.1", "203.0.113.2"} {
		b := srv.newBrowser()
		b.header.Set("X-Forwarded-For", xff)
		loginAttempt(b, "alice", "wrong password!")
	}
	b := srv.newBrowser()
	b.header.Set("X-Forwarded-For", "203.0.113.3")
	if res := loginAttempt(b, "alice", alicePassword); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("with no trusted proxy, a new X-Forwarded-For = %d, want 429 (the socket address counts)", res.StatusCode)
	}
}

// TestReauthenticationThrottled: the current password asked to change the
// password (site and API) or delete the account (site) is throttled like
// a login: after 5 wrong ones in a row the 6th is a 429 with Retry-After,
// whatever the password, and each failure is in the account's history.
func TestReauthenticationThrottled(t *testing.T) {
	t.Parallel()
	const wrong = "not my password at all"
	steps := []struct {
		name string
		try  func(b *browser, password string) response
	}{
		{"change password", func(b *browser, password string) response {
			return b.post("/account/password", url.Values{"current_password": {password}, "new_password": {newPassword}})
		}},
		{"delete account", func(b *browser, password string) response {
			return b.post("/account/delete", url.Values{"password": {password}})
		}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			b := srv.newBrowser()
			b.signup("alice", alicePassword)
			b.login("alice", alicePassword, false)
			for i := 1; i <= 5; i++ {
				if res := step.try(b, wrong); res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("%s with wrong current password #%d = %d, want 422", step.name, i, res.StatusCode)
				}
			}
			for _, password := range []string{wrong, alicePassword} {
				if res := step.try(b, password); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "30" {
					t.Errorf("%s after 5 wrong current passwords = %d, Retry-After %q; want 429 with 30", step.name, res.StatusCode, res.Header.Get("Retry-After"))
				}
			}
			page := b.get("/account").Body
			if n := strings.Count(page, "Wrong current password given while signed in"); n != 5 {
				t.Errorf("the account page shows %d wrong current passwords, want 5", n)
			}
			if !strings.Contains(page, "Current password asked too often while signed in") {
				t.Errorf("the account page does not show the refused current passwords")
			}
		})
	}
}

func TestAPIReauthenticationThrottled(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	alice, _ := c.login("alice", alicePassword, false)
	change := func(current string) apiResponse {
		return alice.call(http.MethodPut, v1+"/me/password", map[string]string{"current_password": current, "new_password": newPassword})
	}
	for i := 1; i <= 5; i++ {
		change("not my password at all").wantError(t, "PUT /me/password with a wrong current password", http.StatusUnprocessableEntity, "invalid_input")
	}
	res := change(alicePassword)
	res.wantError(t, "PUT /me/password after 5 wrong current passwords", http.StatusTooManyRequests, "throttled")
	if ra := res.Header.Get("Retry-After"); ra != "30" {
		t.Errorf("throttled PUT /me/password Retry-After = %q, want 30", ra)
	}
}
