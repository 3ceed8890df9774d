package test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

func TestLoginRedirects(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.newBrowser().signup("alice", alicePassword)

	tests := []struct {
		next string
		want string
	}{
		{"", "/"},
		{"/", "/"},
		{"/somewhere?x=1", "/somewhere?x=1"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
	}
	for _, tt := range tests {
		b := srv.newBrowser()
		form := url.Values{"username": {"alice"}, "password": {alicePassword}, "next": {tt.next}}
		res := b.post("/login", form)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tt.want {
			t.Errorf("POST /login next=%q = %d to %q, want 303 to %q", tt.next, res.StatusCode, res.Header.Get("Location"), tt.want)
		}
	}

	// The next parameter survives the round trip through the login form.
	b := srv.newBrowser()
	page := b.get("/login?next=%2Fsomewhere")
	if !strings.Contains(page.Body, `name="next" value="/somewhere"`) {
		t.Errorf("GET /login?next=/somewhere: form lacks the next field")
	}
}

func TestLoginFailuresAreGeneric(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.newBrowser().signup("alice", alicePassword)

	tests := []struct{ name, username, password string }{
		{"wrong password", "alice", "wrong password here"},
		{"unknown user", "nobody", alicePassword},
		{"invalid username", "a", alicePassword},
	}
	var bodies []string
	for _, tt := range tests {
		b := srv.newBrowser()
		res := b.post("/login", url.Values{"username": {tt.username}, "password": {tt.password}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: POST /login status = %d, want 401", tt.name, res.StatusCode)
		}
		if !strings.Contains(res.Body, "Invalid username or password.") {
			t.Errorf("%s: POST /login lacks the generic message", tt.name)
		}
		if res.setCookieHeader("gatehouse_session") != "" || b.cookie("gatehouse_session") != nil {
			t.Errorf("%s: a failed login set a session cookie", tt.name)
		}
		if tt.password != "" && strings.Contains(res.Body, tt.password) {
			t.Errorf("%s: the response echoes the password", tt.name)
		}
		// Equal but for what differs by design: the echoed name and the
		// per-visitor CSRF token.
		body := strings.ReplaceAll(res.Body, `value="`+tt.username+`"`, "")
		bodies = append(bodies, csrfInput.ReplaceAllString(body, ""))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("wrong-password and unknown-user pages differ beyond the echoed username")
	}
}

func TestLoginWithoutBothFieldsIs422(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	for _, form := range []url.Values{
		{"username": {"alice"}},
		{"password": {alicePassword}},
		{"username": {""}, "password": {""}},
	} {
		res := srv.newBrowser().post("/login", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Please enter your username and your password.") {
			t.Errorf("POST /login %v = %d, want 422 asking for both fields", form, res.StatusCode)
		}
		if strings.Contains(res.Body, alicePassword) {
			t.Errorf("POST /login %v echoes the password", form)
		}
	}
}

func TestSessionCookieAttributes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		secure     bool
		remember   bool
		cookie     string
		wantMaxAge int // 0 means a browser-session cookie
	}{
		{"browser session", false, false, "gatehouse_session", 0},
		{"remember me", false, true, "gatehouse_session", 2592000},
		{"secure", true, false, "__Host-gatehouse_session", 0},
		{"secure, remember me", true, true, "__Host-gatehouse_session", 2592000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each case boots its own server
			srv := startServer(t, withConfig(func(c *config.Config) { c.CookieSecure = tt.secure }))
			b := srv.newBrowser()
			b.signup("alice", alicePassword)
			form := url.Values{"username": {"alice"}, "password": {alicePassword}}
			if tt.remember {
				form.Set("remember", "on")
			}
			res := b.post("/login", form)
			c := res.setCookie(t, tt.cookie)
			if c == nil {
				t.Fatalf("login set no %s cookie; headers: %v", tt.cookie, res.Header.Values("Set-Cookie"))
			}
			checkCookieAttributes(t, c, tt.secure)
			if c.MaxAge != tt.wantMaxAge || !c.Expires.IsZero() {
				t.Errorf("cookie %s Max-Age = %d (Expires %v), want %d", c.Name, c.MaxAge, c.Expires, tt.wantMaxAge)
			}
			if len(c.Value) != 43 {
				t.Errorf("session token %q has %d characters, want 43 (256 bits, base64url)", c.Value, len(c.Value))
			}
		})
	}
}

// TestLoginIssuesANewToken checks that no token seen before a login is
// authenticated by it, and that logging in again retires the old token.
func TestLoginIssuesANewToken(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)

	planted := strings.Repeat("A", 43) // well-formed, chosen by an attacker
	b.setCookie("gatehouse_session", planted)
	b.login("alice", alicePassword, false)
	first := b.cookie("gatehouse_session").Value
	if first == planted {
		t.Fatalf("login kept the planted token")
	}
	attacker := srv.newBrowser()
	attacker.setCookie("gatehouse_session", planted)
	if res := attacker.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / with the planted token = %d, want 303 to login", res.StatusCode)
	}

	b.login("alice", alicePassword, false)
	second := b.cookie("gatehouse_session").Value
	if second == first {
		t.Fatalf("second login reused the token")
	}
	replay := srv.newBrowser()
	replay.setCookie("gatehouse_session", first)
	if res := replay.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / with the token from before the second login = %d, want 303 (revoked)", res.StatusCode)
	}
}

func TestLoggedInVisitorSkipsTheLoginForm(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	if res := b.get("/login"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("GET /login while logged in = %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestRememberMeCookieFollowsConfig(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.RememberMeDuration = 48 * time.Hour }))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	res := b.login("alice", alicePassword, true)
	if c := res.setCookie(t, "gatehouse_session"); c == nil || c.MaxAge != 172800 {
		t.Errorf("remember-me cookie = %v, want Max-Age=172800 (REMEMBER_ME_DURATION=48h)", c)
	}
}
