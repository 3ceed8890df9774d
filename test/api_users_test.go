package test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

func TestAPISignup(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	c := srv.newAPIClient()

	res := c.call(http.MethodPost, v1+"/users", map[string]string{"username": "Ｊｏｈｎ", "password": alicePassword})
	var u struct {
		ID        int64     `json:"id"`
		Username  string    `json:"username"`
		CreatedAt time.Time `json:"created_at"`
	}
	res.decode(t, &u)
	if res.StatusCode != http.StatusCreated || u.ID < 1 || u.Username != "John" || !u.CreatedAt.Equal(clock.Now()) {
		t.Errorf("POST /users Ｊｏｈｎ = %d %+v, want 201 with an id, the NFKC name John and created_at %v", res.StatusCode, u, clock.Now())
	}
	// The account is the site's too: same use cases, same store.
	srv.newBrowser().login("john", alicePassword, false)
}

// TestAPISignupRefusals checks that the API applies the site's rules:
// they come from the same use case, and each refusal names its field.
func TestAPISignupRefusals(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)

	tests := []struct {
		name       string
		username   string
		password   string
		wantStatus int
		wantCode   string
		wantFields map[string]string // field -> part of its message
	}{
		{"taken, in another case", "ALICE", bobPassword, http.StatusConflict, "username_taken", nil},
		{"too short", "bob", "eleven char", http.StatusUnprocessableEntity, "invalid_input", map[string]string{"password": "at least 12"}},
		{"common", "bob", "qwertyuiop123", http.StatusUnprocessableEntity, "invalid_input", map[string]string{"password": "commonly used"}},
		{"contains the username", "bobby", "i-am-BOBBY-and-proud", http.StatusUnprocessableEntity, "invalid_input", map[string]string{"password": "must not contain your username"}},
		{"one character repeated", "bob", strings.Repeat("z", 16), http.StatusUnprocessableEntity, "invalid_input", map[string]string{"password": "one character repeated"}},
		{"looks like a taken name", "aIice", bobPassword, http.StatusConflict, "username_taken", nil},                                                             // capital I for l
		{"mixed scripts", "b\u043eb", bobPassword, http.StatusUnprocessableEntity, "invalid_input", map[string]string{"username": "Use letters from one script"}}, // Cyrillic о
		{"bad username", "b b", bobPassword, http.StatusUnprocessableEntity, "invalid_input", map[string]string{"username": "only letters"}},
		{"both empty", "", "", http.StatusUnprocessableEntity, "invalid_input", map[string]string{"username": "choose a username", "password": "choose a password"}},
	}
	for _, tt := range tests {
		res := c.call(http.MethodPost, v1+"/users", map[string]string{"username": tt.username, "password": tt.password})
		e := res.wantError(t, tt.name+": POST /users", tt.wantStatus, tt.wantCode)
		if len(e.Error.Fields) != len(tt.wantFields) {
			t.Errorf("%s: fields = %v, want exactly %v", tt.name, e.Error.Fields, tt.wantFields)
		}
		for field, part := range tt.wantFields {
			if !strings.Contains(e.Error.Fields[field], part) {
				t.Errorf("%s: fields[%s] = %q, want it to say %q", tt.name, field, e.Error.Fields[field], part)
			}
		}
	}
	// Nothing was stored: bob is still free.
	c.signup("bob", bobPassword)
}

func TestAPISignupThrottled(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.SignupMaxPerIPPerHour = 2 }))
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	c.signup("bob", bobPassword)
	res := c.call(http.MethodPost, v1+"/users", map[string]string{"username": "carol", "password": "carol's own long passphrase"})
	res.wantError(t, "third POST /users from one client", http.StatusTooManyRequests, "throttled")
	if ra := res.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("throttled signup Retry-After = %q, want a number of seconds", ra)
	}
}
