package web

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// TestLoginForm protects GET /login: the form for a visitor, with a
// visitor cookie its token is bound to, a local next kept in a hidden
// field, a notice chosen by key; a signed-in user is sent on instead.
func TestLoginForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		target     string
		wantNext   string // the hidden field's value; "" for none
		wantNotice string
	}{
		{"plain", "/login", "", ""},
		{"local next", "/login?next=%2Faccount%3Fnotice%3Dx", "/account?notice=x", ""},
		{"next to another site", "/login?next=%2F%2Fevil.example%2F", "", ""},
		{"next with a scheme", "/login?next=https%3A%2F%2Fevil.example%2F", "", ""},
		{"notice by key", "/login?notice=logged-out", "", "You have been logged out."},
		{"notice of an unknown key", "/login?notice=You+won", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			r := s.stranger().get(t, tt.target)
			r.wantPage(t, "GET "+tt.target, http.StatusOK, "Log in Username Password Remember me")
			if got := r.heading(); got != "Log in" {
				t.Errorf("GET %s heading = %q, want %q", tt.target, got, "Log in")
			}
			visitor := r.cookie(visitorCookieName)
			if visitor == nil {
				t.Fatalf("GET %s set no %s cookie; cookies = %v", tt.target, visitorCookieName, r.cookies)
			}
			wantCookieAttributes(t, "GET "+tt.target, visitor)
			if visitor.MaxAge != 0 || !visitor.Expires.IsZero() {
				t.Errorf("GET %s visitor cookie Max-Age = %d, Expires = %v, want a browser-session cookie", tt.target, visitor.MaxAge, visitor.Expires)
			}
			if want := s.h.csrf.token("visitor:" + visitor.Value); r.csrfField() != want {
				t.Errorf("GET %s csrf field = %q, want the token of the visitor cookie %q", tt.target, r.csrfField(), want)
			}
			gotNext := r.first(nextFieldPattern)
			if gotNext != tt.wantNext {
				t.Errorf("GET %s next field = %q, want %q", tt.target, gotNext, tt.wantNext)
			}
			if got := r.notice(); got != tt.wantNotice {
				t.Errorf("GET %s notice = %q, want %q", tt.target, got, tt.wantNotice)
			}
		})
	}
}

// TestLoginFormSignedIn protects that a signed-in user is not shown the
// form again but sent where next says, if it is local.
func TestLoginFormSignedIn(t *testing.T) {
	t.Parallel()
	tests := []struct{ target, want string }{
		{"/login", "/"},
		{"/login?next=%2Faccount", "/account"},
		{"/login?next=%2F%2Fevil.example", "/"},
	}
	s := newTestSite(t)
	browser, _ := s.signIn(t, alice())
	for _, tt := range tests {
		browser.get(t, tt.target).wantRedirect(t, "GET "+tt.target+" (signed in)", tt.want)
	}
}

// TestLogin protects a successful POST /login: what the use case is
// asked, the new session's cookie (a browser-session cookie unless
// "remember me", then as long as the session lasts), the retired visitor
// cookie, and where the browser goes next.
func TestLogin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		target       string
		form         url.Values
		mustChange   bool
		wantRemember bool
		wantMaxAge   int
		wantLocation string
	}{
		{"plain", "/login", url.Values{"username": {"alice"}, "password": {"pw"}}, false, false, 0, "/"},
		{"remember me", "/login", url.Values{"username": {"alice"}, "password": {"pw"}, "remember": {"on"}}, false, true, 30 * 24 * 3600, "/"},
		{"next in the form", "/login", url.Values{"username": {"alice"}, "password": {"pw"}, "next": {"/account?x=1"}}, false, false, 0, "/account?x=1"},
		// A POST reads its fields from the body only: next in the URL is ignored.
		{"next in the query is ignored", "/login?next=%2Faccount", url.Values{"username": {"alice"}, "password": {"pw"}}, false, false, 0, "/"},
		{"next in the body wins over the query", "/login?next=%2Fadmin%2Fusers", url.Values{"username": {"alice"}, "password": {"pw"}, "next": {"/account"}}, false, false, 0, "/account"},
		{"next to another site", "/login", url.Values{"username": {"alice"}, "password": {"pw"}, "next": {"//evil.example/"}}, false, false, 0, "/"},
		{"next with a scheme", "/login", url.Values{"username": {"alice"}, "password": {"pw"}, "next": {"https://evil.example/"}}, false, false, 0, "/"},
		{"must change password", "/login", url.Values{"username": {"alice"}, "password": {"pw"}, "next": {"/admin/users"}}, true, false, 0, "/account?notice=must-change-password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			token := s.tokens.next()
			s.auth.LoginFunc = func(in usecase.LoginInput) (usecase.LoginResult, error) {
				p := alice()
				p.User.MustChangePassword = tt.mustChange
				p.Session.CreatedAt = testNow
				if in.Remember {
					p.Session.Persistent = true
					p.Session.ExpiresAt = testNow.Add(30 * 24 * time.Hour)
				}
				return usecase.LoginResult{User: p.User, Session: p.Session, Token: token}, nil
			}
			browser := s.anonymous(t)
			req := browser.formRequest(tt.target, tt.form)
			req.Header.Set(fiber.HeaderUserAgent, "test-agent/1.0")
			what := "POST " + tt.target + " (" + tt.name + ")"
			r := s.do(t, req)

			r.wantRedirect(t, what, tt.wantLocation)
			r.wantSessionCookie(t, s, what, token, tt.wantMaxAge)
			r.wantCleared(t, s, what, visitorCookieName)
			in := callArgs(t, &s.auth.Calls, "Login")[0].(usecase.LoginInput)
			want := usecase.LoginInput{
				Username: "alice", Password: "pw", Remember: tt.wantRemember,
				Client: usecase.Client{IP: netip.IPv4Unspecified(), UserAgent: "test-agent/1.0"},
			}
			if in != want {
				t.Errorf("%s Login(%+v), want Login(%+v)", what, in, want)
			}
		})
	}
}

// TestLoginReplacesSession protects that a browser which already holds a
// session hands its token to the login, which replaces it.
func TestLoginReplacesSession(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, _ := s.signIn(t, alice())
	fresh := s.tokens.next()
	s.auth.LoginFunc = loginAs(alice(), fresh)
	r := browser.post(t, "/login", url.Values{"username": {"alice"}, "password": {"pw"}})
	r.wantRedirect(t, "POST /login (signed in)", "/")
	r.wantSessionCookie(t, s, "POST /login (signed in)", fresh, 0)
	in := callArgs(t, &s.auth.Calls, "Login")[0].(usecase.LoginInput)
	if in.Previous != browser.token {
		t.Errorf("POST /login (signed in) Login Previous = %q, want the browser's session token %q", in.Previous.Reveal(), browser.token.Reveal())
	}
}

// TestLoginRefused protects the failed logins: one generic 401 for wrong
// credentials, a 429 with Retry-After whatever the password, a 403 for a
// disabled account, a 422 without asking the use case when a field is
// missing. The form comes back with the username and "remember me" as
// typed, never the password, and no session cookie.
func TestLoginRefused(t *testing.T) {
	t.Parallel()
	const password = "typed-password-never-shown"
	tests := []struct {
		name           string
		form           url.Values
		err            error
		wantStatus     int
		wantAlert      string
		wantRetryAfter string
		wantInvalid    bool // both fields marked aria-invalid
		wantLogin      bool // the use case was asked
	}{
		{"invalid credentials", url.Values{"username": {"alice"}, "password": {password}, "remember": {"on"}},
			domain.ErrInvalidCredentials, http.StatusUnauthorized, "Invalid username or password.", "", true, true},
		{"throttled", url.Values{"username": {"alice"}, "password": {password}, "remember": {"on"}},
			&domain.ThrottledError{RetryAfter: 30 * time.Second}, http.StatusTooManyRequests,
			"Too many attempts. Please wait 30 seconds and try again.", "30", false, true},
		{"throttled for minutes", url.Values{"username": {"alice"}, "password": {password}, "remember": {"on"}},
			&domain.ThrottledError{RetryAfter: 5 * time.Minute}, http.StatusTooManyRequests,
			"Too many attempts. Please wait 5 minutes and try again.", "300", false, true},
		{"disabled", url.Values{"username": {"alice"}, "password": {password}, "remember": {"on"}},
			domain.ErrAccountDisabled, http.StatusForbidden, "This account has been disabled.", "", false, true},
		{"no password", url.Values{"username": {"alice"}, "remember": {"on"}},
			nil, http.StatusUnprocessableEntity, missingCredentials, "", true, false},
		{"no username", url.Values{"password": {password}, "remember": {"on"}},
			nil, http.StatusUnprocessableEntity, missingCredentials, "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) { return usecase.LoginResult{}, tt.err }
			what := "POST /login (" + tt.name + ")"
			r := s.anonymous(t).post(t, "/login", tt.form)

			if r.status != tt.wantStatus {
				t.Errorf("%s status = %d, want %d", what, r.status, tt.wantStatus)
			}
			if got := r.alert(); got != tt.wantAlert {
				t.Errorf("%s alert = %q, want %q", what, got, tt.wantAlert)
			}
			if got := r.header.Get(fiber.HeaderRetryAfter); got != tt.wantRetryAfter {
				t.Errorf("%s Retry-After = %q, want %q", what, got, tt.wantRetryAfter)
			}
			if got := strings.Count(r.body, `aria-invalid="true"`); (got == 2) != tt.wantInvalid {
				t.Errorf("%s marks %d fields aria-invalid, want both: %v", what, got, tt.wantInvalid)
			}
			if got, want := r.first(usernameValuePattern), tt.form.Get("username"); got != want {
				t.Errorf("%s username field = %q, want %q as typed", what, got, want)
			}
			if !strings.Contains(r.body, `id="remember" value="on" checked`) {
				t.Errorf("%s unchecks remember me", what)
			}
			if strings.Contains(r.body, password) {
				t.Errorf("%s page holds the password", what)
			}
			if c := r.cookie(sessionCookieName); c != nil {
				t.Errorf("%s set a session cookie %v", what, c)
			}
			if got := s.auth.Count("Login"); (got == 1) != tt.wantLogin {
				t.Errorf("%s Login called %d times, want called: %v", what, got, tt.wantLogin)
			}
		})
	}
}

// TestLoginUnavailable protects the 503 of a busy service: the error page,
// with a Retry-After, not the form.
func TestLoginUnavailable(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) {
		return usecase.LoginResult{}, domain.ErrUnavailable
	}
	r := s.anonymous(t).post(t, "/login", url.Values{"username": {"alice"}, "password": {"pw"}})
	r.wantPage(t, "POST /login (unavailable)", http.StatusServiceUnavailable, "The service is busy. Please try again in a moment.")
	if got := r.heading(); got != "Temporarily unavailable" {
		t.Errorf("POST /login (unavailable) heading = %q, want %q", got, "Temporarily unavailable")
	}
	if got := r.header.Get(fiber.HeaderRetryAfter); got != "5" {
		t.Errorf("POST /login (unavailable) Retry-After = %q, want %q", got, "5")
	}
	if c := r.cookie(sessionCookieName); c != nil {
		t.Errorf("POST /login (unavailable) set a session cookie %v", c)
	}
}

// TestLoginClientAddress protects where a login says it came from: the
// socket's peer (app.Test's is 0.0.0.0), and X-Forwarded-For only when
// that peer is a trusted proxy.
func TestLoginClientAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		trusted   []netip.Prefix
		forwarded string
		want      string
	}{
		{"direct", nil, "", "0.0.0.0"},
		{"forged header, no proxy", nil, "203.0.113.9", "0.0.0.0"},
		{"behind a trusted proxy", []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}, "198.51.100.1, 203.0.113.9", "203.0.113.9"},
		{"behind two trusted proxies", []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32"), netip.MustParsePrefix("203.0.113.0/24")}, "198.51.100.1, 203.0.113.9", "198.51.100.1"},
		{"trusted proxy without the header", []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")}, "", "0.0.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t, func(c *Config) { c.TrustedProxies = tt.trusted })
			s.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) {
				return usecase.LoginResult{}, domain.ErrInvalidCredentials
			}
			req := s.anonymous(t).formRequest("/login", url.Values{"username": {"alice"}, "password": {"pw"}})
			if tt.forwarded != "" {
				req.Header.Set(fiber.HeaderXForwardedFor, tt.forwarded)
			}
			s.do(t, req)
			in := callArgs(t, &s.auth.Calls, "Login")[0].(usecase.LoginInput)
			if got := in.Client.IP.String(); got != tt.want {
				t.Errorf("POST /login (%s) Login client IP = %s, want %s", tt.name, got, tt.want)
			}
		})
	}
}

// TestLoginDeviceCookie: the device cookie the browser holds reaches the
// use case as its device proof, and a successful login sets the new proof
// the use case returns, for a year, with the site's cookie attributes.
func TestLoginDeviceCookie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, held string
	}{
		{"no device cookie", ""},
		{"a device cookie", "7.old.proof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			token := s.tokens.next()
			s.auth.LoginFunc = func(in usecase.LoginInput) (usecase.LoginResult, error) {
				p := alice()
				return usecase.LoginResult{User: p.User, Session: p.Session, Token: token, Device: "7.new.proof"}, nil
			}
			browser := s.anonymous(t)
			req := browser.formRequest("/login", url.Values{"username": {"alice"}, "password": {"pw"}})
			if tt.held != "" {
				req.AddCookie(&http.Cookie{Name: s.cookieName(deviceCookieName), Value: tt.held})
			}
			what := "POST /login (" + tt.name + ")"
			r := s.do(t, req)
			r.wantRedirect(t, what, "/")
			if in := callArgs(t, &s.auth.Calls, "Login")[0].(usecase.LoginInput); in.Device != tt.held {
				t.Errorf("%s Login Device = %q, want the cookie's %q", what, in.Device, tt.held)
			}
			c := r.cookie(s.cookieName(deviceCookieName))
			if c == nil {
				t.Fatalf("%s set no device cookie; cookies = %v", what, r.cookies)
			}
			if c.Value != "7.new.proof" || c.MaxAge != 365*24*3600 {
				t.Errorf("%s device cookie = %q, Max-Age %d, want %q for a year", what, c.Value, c.MaxAge, "7.new.proof")
			}
			wantCookieAttributes(t, what, c)
		})
	}
}
