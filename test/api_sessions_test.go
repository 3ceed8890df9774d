package test

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestAPILoginLifetimes logs in with and without remember and moves the
// clock: expires_at tells the truth, and the token works exactly until
// then. Bearer tokens are the site's sessions, with its settings.
func TestAPILoginLifetimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		remember  bool
		wantLife  time.Duration
		waits     []time.Duration // between calls
		wantValid bool
	}{
		{"idle timeout ends a session", false, 30 * time.Minute, []time.Duration{31 * time.Minute}, false},
		{"use keeps a session", false, 30 * time.Minute, []time.Duration{20 * time.Minute, 20 * time.Minute, 20 * time.Minute}, true},
		{"absolute timeout ends it anyway", false, 30 * time.Minute, fill(25*time.Minute, 30), false},
		{"remember survives a long pause", true, 48 * time.Hour, []time.Duration{47 * time.Hour}, true},
		{"remember ends after REMEMBER_ME_DURATION", true, 48 * time.Hour, []time.Duration{47 * time.Hour, 2 * time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case boots its own server
			clock := newTestClock()
			srv := startServer(t, withClock(clock), withConfig(func(c *config.Config) { c.RememberMeDuration = 48 * time.Hour }))
			c := srv.newAPIClient()
			c.signup("alice", alicePassword)
			alice, s := c.login("alice", alicePassword, tt.remember)
			if want := clock.Now().Add(tt.wantLife); !s.ExpiresAt.Equal(want) {
				t.Errorf("POST /sessions remember=%v expires_at = %v, want %v", tt.remember, s.ExpiresAt, want)
			}
			var res apiResponse
			for _, d := range tt.waits {
				clock.Advance(d)
				res = alice.call(http.MethodGet, v1+"/me", nil)
			}
			if valid := res.StatusCode == http.StatusOK; valid != tt.wantValid {
				t.Errorf("after %v: GET /me = %d, token valid = %v, want %v", tt.waits, res.StatusCode, valid, tt.wantValid)
			}
		})
	}
}

func TestAPILogin(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("Alice", alicePassword)
	alice, s := c.login("ALICE", alicePassword, false)
	if s.User.ID < 1 || s.User.Username != "Alice" || len(s.Token) != 43 {
		t.Errorf("POST /sessions = %+v, want alice's account as she typed it and a 43-character token", s)
	}
	// Each login is a new session with a new token.
	_, again := c.login("alice", alicePassword, false)
	if again.Token == s.Token {
		t.Errorf("two logins gave the same token")
	}
	if res := alice.call(http.MethodGet, v1+"/me", nil); res.StatusCode != http.StatusOK {
		t.Errorf("GET /me with the first token after a second login = %d, want 200 (logins on other devices do not end it)", res.StatusCode)
	}
}

// TestAPILoginFailuresAreGeneric checks that an unknown user and a wrong
// password cannot be told apart, as on the site.
func TestAPILoginFailuresAreGeneric(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	tests := []struct{ name, username, password string }{
		{"wrong password", "alice", "wrong password here"},
		{"unknown user", "nobody", alicePassword},
		{"invalid username", "a", alicePassword},
	}
	var bodies []string
	for _, tt := range tests {
		res := c.call(http.MethodPost, v1+"/sessions", map[string]string{"username": tt.username, "password": tt.password})
		res.wantError(t, tt.name+": POST /sessions", http.StatusUnauthorized, "invalid_credentials")
		if got := res.Header.Get("WWW-Authenticate"); got != `Bearer realm="gatehouse"` {
			t.Errorf("%s: WWW-Authenticate = %q, want Bearer realm=\"gatehouse\"", tt.name, got)
		}
		bodies = append(bodies, string(res.Body))
	}
	for i := 1; i < len(bodies); i++ {
		if bodies[i] != bodies[0] {
			t.Errorf("%s body %s differs from %s body %s: the answer must not tell", tests[i].name, bodies[i], tests[0].name, bodies[0])
		}
	}
}

func TestAPILoginNeedsBothFields(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	tests := []struct {
		body       map[string]any
		wantFields []string
	}{
		{map[string]any{"username": "alice", "password": ""}, []string{"password"}},
		{map[string]any{"username": "", "password": alicePassword}, []string{"username"}},
		{map[string]any{"username": "", "password": "", "remember": true}, []string{"username", "password"}},
	}
	for _, tt := range tests {
		res := c.call(http.MethodPost, v1+"/sessions", tt.body)
		e := res.wantError(t, fmt.Sprintf("POST /sessions %v", tt.body), http.StatusUnprocessableEntity, "invalid_input")
		if len(e.Error.Fields) != len(tt.wantFields) {
			t.Errorf("POST /sessions %v fields = %v, want %v", tt.body, e.Error.Fields, tt.wantFields)
		}
		for _, f := range tt.wantFields {
			if e.Error.Fields[f] == "" {
				t.Errorf("POST /sessions %v fields = %v, want a message for %s", tt.body, e.Error.Fields, f)
			}
		}
	}
	res := c.do(apiRequest{method: http.MethodPost, path: v1 + "/sessions", body: []byte(`{"username":"alice","password":"x","remember":"yes"}`), offSpec: true})
	if e := res.wantError(t, "POST /sessions remember=\"yes\"", http.StatusUnprocessableEntity, "invalid_input"); e.Error.Fields["remember"] == "" {
		t.Errorf("remember=\"yes\" fields = %v, want a message for remember", e.Error.Fields)
	}
}

// TestAPILoginThrottled locks alice's account for this client after
// LOGIN_MAX_FAILURES failures: then the right password is refused as the
// wrong one is, with 429 and Retry-After, until the delay has passed.
func TestAPILoginThrottled(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock), withConfig(func(c *config.Config) { c.LoginMaxFailures = 2 }))
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	wrong := map[string]string{"username": "alice", "password": "wrong password!"}
	for i := 1; i <= 2; i++ {
		c.call(http.MethodPost, v1+"/sessions", wrong).wantError(t, fmt.Sprintf("failure %d", i), http.StatusUnauthorized, "invalid_credentials")
	}
	var bodies []string
	for _, password := range []string{"wrong password!", alicePassword} {
		res := c.call(http.MethodPost, v1+"/sessions", map[string]string{"username": "alice", "password": password})
		res.wantError(t, "POST /sessions while locked", http.StatusTooManyRequests, "throttled")
		if ra := res.Header.Get("Retry-After"); ra != "30" {
			t.Errorf("locked POST /sessions Retry-After = %q, want 30", ra)
		}
		bodies = append(bodies, string(res.Body))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("the locked-out answer differs for the right password (%s vs %s): it must not tell", bodies[1], bodies[0])
	}
	clock.Advance(30 * time.Second)
	c.login("alice", alicePassword, false)
}

// TestAPIDisabledAccount disables alice while she holds a token: the
// token stops working, and her right password is a 403 forbidden (a
// wrong one is still the generic 401).
func TestAPIDisabledAccount(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	srv.createUser(t, "alice", alicePassword, domain.RoleUser)
	c := srv.newAPIClient()
	alice, s := c.login("alice", alicePassword, false)

	if err := srv.admin.Disable(context.Background(), usecase.Operator, domain.UserID(s.User.ID), usecase.Client{}); err != nil {
		t.Fatalf("Admin.Disable(alice) error = %v", err)
	}
	alice.call(http.MethodGet, v1+"/me", nil).wantError(t, "GET /me of a disabled account", http.StatusUnauthorized, "unauthorized")
	res := c.call(http.MethodPost, v1+"/sessions", map[string]string{"username": "alice", "password": alicePassword})
	if e := res.wantError(t, "POST /sessions of a disabled account", http.StatusForbidden, "forbidden"); e.Error.Message != "This account has been disabled." {
		t.Errorf("403 message = %q, want it to say the account is disabled", e.Error.Message)
	}
	c.call(http.MethodPost, v1+"/sessions", map[string]string{"username": "alice", "password": "wrong password!"}).
		wantError(t, "wrong password of a disabled account", http.StatusUnauthorized, "invalid_credentials")
}

// apiSessionList is the body of GET /sessions.
type apiSessionList struct {
	Sessions []struct {
		ID         int64     `json:"id"`
		CreatedAt  time.Time `json:"created_at"`
		LastSeenAt time.Time `json:"last_seen_at"`
		IP         string    `json:"ip"`
		UserAgent  string    `json:"user_agent"`
		Current    bool      `json:"current"`
	} `json:"sessions"`
}

func (c *apiClient) sessions() apiSessionList {
	c.t.Helper()
	res := c.call(http.MethodGet, v1+"/sessions", nil)
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("GET /sessions = %d, want 200; body: %s", res.StatusCode, res.Body)
	}
	var list apiSessionList
	res.decode(c.t, &list)
	return list
}

func TestAPIListSessions(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	c.header.Set("User-Agent", "gatehouse-phone/1.0")
	phone, _ := c.login("alice", alicePassword, false)
	c.header.Set("User-Agent", "gatehouse-tablet/2.0")
	tablet, _ := c.login("alice", alicePassword, true)
	srv.newBrowser().login("alice", alicePassword, false)

	list := phone.sessions()
	if len(list.Sessions) != 3 {
		t.Fatalf("GET /sessions lists %d sessions, want 3 (two tokens, one browser): %+v", len(list.Sessions), list)
	}
	var current []string
	for _, s := range list.Sessions {
		if s.IP != "127.0.0.1" || s.CreatedAt.IsZero() || s.LastSeenAt.Before(s.CreatedAt) {
			t.Errorf("session %+v: want IP 127.0.0.1 and times", s)
		}
		if s.Current {
			current = append(current, s.UserAgent)
		}
	}
	if len(current) != 1 || current[0] != "gatehouse-phone/1.0" {
		t.Errorf("sessions marked current: %q, want only the phone's", current)
	}
	for i := 1; i < len(list.Sessions); i++ {
		if list.Sessions[i].CreatedAt.After(list.Sessions[i-1].CreatedAt) {
			t.Errorf("GET /sessions is not newest first: %+v", list.Sessions)
		}
	}
	for _, s := range tablet.sessions().Sessions {
		if s.Current != (s.UserAgent == "gatehouse-tablet/2.0") {
			t.Errorf("the tablet's GET /sessions marks %+v current = %v, want only its own", s, s.Current)
		}
	}
}

// TestAPIRevokeSessions ends sessions one by one: each token is refused
// from the next call on, and nobody can end another account's session.
func TestAPIRevokeSessions(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	c.signup("bob", bobPassword)
	phone, _ := c.login("alice", alicePassword, false)
	laptop, _ := c.login("alice", alicePassword, false)
	other, _ := c.login("alice", alicePassword, false)
	bob, _ := c.login("bob", bobPassword, false)

	ids := map[bool]int64{} // current -> id, from the laptop's view
	for _, s := range laptop.sessions().Sessions {
		if _, seen := ids[s.Current]; !seen || s.Current {
			ids[s.Current] = s.ID
		}
	}
	laptopID := ids[true]
	bobID := bob.sessions().Sessions[0].ID

	// Another account's session, an unknown one, and ids that name nothing.
	for _, id := range []int64{bobID, 1 << 40} {
		phone.call(http.MethodDelete, fmt.Sprintf("%s/sessions/%d", v1, id), nil).
			wantError(t, fmt.Sprintf("DELETE /sessions/%d", id), http.StatusNotFound, "not_found")
	}
	for _, id := range []string{"abc", "0", "-1", "1.5"} {
		phone.do(apiRequest{method: http.MethodDelete, path: v1 + "/sessions/" + id, offSpec: true}).
			wantError(t, "DELETE /sessions/"+id, http.StatusNotFound, "not_found")
	}
	if res := bob.call(http.MethodGet, v1+"/me", nil); res.StatusCode != http.StatusOK {
		t.Errorf("bob's token after alice tried to end his session = %d, want 200", res.StatusCode)
	}

	// The phone ends the laptop's session.
	if res := phone.call(http.MethodDelete, fmt.Sprintf("%s/sessions/%d", v1, laptopID), nil); res.StatusCode != http.StatusNoContent || len(res.Body) != 0 {
		t.Fatalf("DELETE /sessions/%d = %d %s, want 204 without a body", laptopID, res.StatusCode, res.Body)
	}
	laptop.call(http.MethodGet, v1+"/me", nil).wantError(t, "the revoked laptop's next call", http.StatusUnauthorized, "unauthorized")
	if n := len(phone.sessions().Sessions); n != 2 {
		t.Errorf("GET /sessions after one revoke lists %d, want 2", n)
	}

	// The other device ends itself by its own id: that is a logout.
	var otherID int64
	for _, s := range other.sessions().Sessions {
		if s.Current {
			otherID = s.ID
		}
	}
	if res := other.call(http.MethodDelete, fmt.Sprintf("%s/sessions/%d", v1, otherID), nil); res.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE /sessions/{own id} = %d, want 204", res.StatusCode)
	}
	other.call(http.MethodGet, v1+"/sessions", nil).wantError(t, "a token after deleting its own session", http.StatusUnauthorized, "unauthorized")

	// The phone logs out.
	if res := phone.call(http.MethodDelete, v1+"/sessions/current", nil); res.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE /sessions/current = %d, want 204", res.StatusCode)
	}
	res := phone.call(http.MethodGet, v1+"/me", nil)
	res.wantError(t, "the logged-out token's next call", http.StatusUnauthorized, "unauthorized")
	if got := res.Header.Get("WWW-Authenticate"); got != `Bearer realm="gatehouse", error="invalid_token"` {
		t.Errorf("revoked token WWW-Authenticate = %q, want error=\"invalid_token\"", got)
	}
	phone.call(http.MethodDelete, v1+"/sessions/current", nil).wantError(t, "a second logout", http.StatusUnauthorized, "unauthorized")
}

// TestAPIClientAddress checks that the API counts clients by the site's
// rule: X-Forwarded-For is believed only from a trusted proxy, and then
// its right-most untrusted entry is the client.
func TestAPIClientAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		trusted string
		xff     string
		wantIP  string
	}{
		{"no proxy: the header is the client's to forge", "", "203.0.113.9", "127.0.0.1"},
		{"behind a trusted proxy", "127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"},
	}
	for _, tt := range tests {
		srv := startServer(t, withConfig(func(c *config.Config) {
			if tt.trusted != "" {
				c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix(tt.trusted + "/32")}
			}
		}))
		c := srv.newAPIClient()
		c.header.Set("X-Forwarded-For", tt.xff)
		c.signup("alice", alicePassword)
		alice, _ := c.login("alice", alicePassword, false)
		if list := alice.sessions().Sessions; len(list) != 1 || list[0].IP != tt.wantIP {
			t.Errorf("%s: GET /sessions = %+v, want one session from %s", tt.name, list, tt.wantIP)
		}
	}
}
