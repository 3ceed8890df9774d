package test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
)

// apiMe is the body of GET /me.
type apiMe struct {
	ID                 int64     `json:"id"`
	Username           string    `json:"username"`
	Role               string    `json:"role"`
	CreatedAt          time.Time `json:"created_at"`
	MustChangePassword bool      `json:"must_change_password"`
	LastLogin          *struct {
		At time.Time `json:"at"`
		IP string    `json:"ip"`
	} `json:"last_login"`
}

func (c *apiClient) me() apiMe {
	c.t.Helper()
	res := c.call(http.MethodGet, v1+"/me", nil)
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("GET /me = %d, want 200; body: %s", res.StatusCode, res.Body)
	}
	var me apiMe
	res.decode(c.t, &me)
	return me
}

// TestAPIMe shows the account and, from the second login on, the login
// before the latest one, as the site's dashboard does.
func TestAPIMe(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	c := srv.newAPIClient()
	c.signup("Alice", alicePassword)
	signedUp := clock.Now()

	first, s := c.login("alice", alicePassword, false)
	me := first.me()
	if me.ID != s.User.ID || me.Username != "Alice" || me.Role != "user" || !me.CreatedAt.Equal(signedUp) || me.MustChangePassword || me.LastLogin != nil {
		t.Errorf("GET /me after the first login = %+v, want alice's account, role user, created %v, no previous login", me, signedUp)
	}

	clock.Advance(time.Hour)
	second, _ := c.login("alice", alicePassword, false)
	me = second.me()
	if me.LastLogin == nil || !me.LastLogin.At.Equal(signedUp) || me.LastLogin.IP != "127.0.0.1" {
		t.Errorf("GET /me after the second login: last_login = %+v, want the first login at %v from 127.0.0.1", me.LastLogin, signedUp)
	}
}

// TestAPIMeMustChangePassword imports an account whose password today's
// rules refuse: GET /me says so until the password is changed.
func TestAPIMeMustChangePassword(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t)
	if res, err := srv.importer.Import(context.Background(), "legacy", "hunter2"); err != nil || res.Outcome != usecase.ImportedWeak {
		t.Fatalf("Import(legacy) = %v, %v; want a weak import", res, err)
	}
	legacy, _ := srv.newAPIClient().login("legacy", "hunter2", false)
	if !legacy.me().MustChangePassword {
		t.Fatalf("GET /me of a weak imported password: must_change_password = false, want true")
	}
	res := legacy.call(http.MethodPut, v1+"/me/password", map[string]string{"current_password": "hunter2", "new_password": newPassword})
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("PUT /me/password = %d, want 204; body: %s", res.StatusCode, res.Body)
	}
	if legacy.withToken(res.Header.Get("Gatehouse-Token")).me().MustChangePassword {
		t.Errorf("GET /me after the change: must_change_password = true, want false")
	}
}

// TestAPIChangePassword changes alice's password from her phone: every
// other session ends, the phone's token is replaced by the one in
// Gatehouse-Token (a remembered session stays remembered), and only the
// new password logs in.
func TestAPIChangePassword(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	phone, _ := c.login("alice", alicePassword, true)
	laptop, _ := c.login("alice", alicePassword, false)
	b := srv.newBrowser()
	b.login("alice", alicePassword, false)

	res := phone.call(http.MethodPut, v1+"/me/password", map[string]string{"current_password": alicePassword, "new_password": newPassword})
	if res.StatusCode != http.StatusNoContent || len(res.Body) != 0 {
		t.Fatalf("PUT /me/password = %d %s, want 204 without a body", res.StatusCode, res.Body)
	}
	token := res.Header.Get("Gatehouse-Token")
	expires, err := time.Parse(time.RFC3339Nano, res.Header.Get("Gatehouse-Token-Expires-At"))
	if len(token) != 43 || token == phone.token || err != nil {
		t.Fatalf("Gatehouse-Token %q, Gatehouse-Token-Expires-At %q (%v); want a new 43-character token and a time", token, res.Header.Get("Gatehouse-Token-Expires-At"), err)
	}
	if want := clock.Now().Add(srv.cfg.RememberMeDuration); !expires.Equal(want) {
		t.Errorf("Gatehouse-Token-Expires-At = %v, want %v: the phone's session was remembered and stays so", expires, want)
	}

	for name, old := range map[string]*apiClient{"the phone's old token": phone, "the laptop's token": laptop} {
		old.call(http.MethodGet, v1+"/me", nil).wantError(t, name+" after the change", http.StatusUnauthorized, "unauthorized")
	}
	if loggedIn(t, b) {
		t.Errorf("the browser is still logged in after a password change elsewhere")
	}
	renewed := phone.withToken(token)
	if list := renewed.sessions().Sessions; len(list) != 1 || !list[0].Current {
		t.Errorf("GET /sessions with the new token = %+v, want only its own session", list)
	}

	c.call(http.MethodPost, v1+"/sessions", map[string]string{"username": "alice", "password": alicePassword}).
		wantError(t, "login with the old password", http.StatusUnauthorized, "invalid_credentials")
	c.login("alice", newPassword, false)
}

// TestAPIChangePasswordRefusals checks the refusals name the field, as
// the site's form does, and change nothing: the token still works.
func TestAPIChangePasswordRefusals(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	c := srv.newAPIClient()
	c.signup("alice", alicePassword)
	alice, _ := c.login("alice", alicePassword, false)
	tests := []struct {
		name            string
		current, next   string
		wantField, want string
	}{
		{"wrong current password", "not my password at all", newPassword, "current_password", "not correct"},
		{"no current password", "", newPassword, "current_password", "current password"},
		{"short new password", alicePassword, "too short", "new_password", "at least 12"},
		{"common new password", alicePassword, "qwertyuiop123", "new_password", "commonly used"},
		{"new password contains the username", alicePassword, "alice in wonderland 2026", "new_password", "must not contain your username"},
	}
	for _, tt := range tests {
		res := alice.call(http.MethodPut, v1+"/me/password", map[string]string{"current_password": tt.current, "new_password": tt.next})
		e := res.wantError(t, tt.name+": PUT /me/password", http.StatusUnprocessableEntity, "invalid_input")
		if !strings.Contains(e.Error.Fields[tt.wantField], tt.want) || len(e.Error.Fields) != 1 {
			t.Errorf("%s: fields = %v, want only %s saying %q", tt.name, e.Error.Fields, tt.wantField, tt.want)
		}
		if res.Header.Get("Gatehouse-Token") != "" {
			t.Errorf("%s: a refused change sent a new token", tt.name)
		}
	}
	if me := alice.me(); me.Username != "alice" {
		t.Errorf("GET /me after the refusals = %+v", me)
	}
	c.login("alice", alicePassword, false)
}
