package web

import (
	"errors"
	"fmt"
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

// TestSignupForm protects GET /signup: the form for a visitor, the
// dashboard for a signed-in user.
func TestSignupForm(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	r := s.stranger().get(t, "/signup")
	r.wantPage(t, "GET /signup", http.StatusOK, "3 to 32 characters: letters from one script, digits, '.', '_' or '-'.")
	if got := r.heading(); got != "Create an account" {
		t.Errorf("GET /signup heading = %q, want %q", got, "Create an account")
	}
	visitor := r.cookie(s.cookieName(visitorCookieName))
	if visitor == nil {
		t.Fatalf("GET /signup set no visitor cookie; cookies = %v", r.cookies)
	}
	if want := s.h.csrf.token("visitor:" + visitor.Value); r.csrfField() != want {
		t.Errorf("GET /signup csrf field = %q, want the visitor cookie's token %q", r.csrfField(), want)
	}

	browser, _ := s.signIn(t, alice())
	browser.get(t, "/signup").wantRedirect(t, "GET /signup (signed in)", "/")
}

// TestSignup protects a successful POST /signup: the use case gets the
// fields and the client, and the visitor goes to the login page, which
// says the account exists.
func TestSignup(t *testing.T) {
	t.Parallel()
	s := newTestSite(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/32")} })
	browser := s.anonymous(t)
	req := browser.formRequest("/signup", url.Values{"username": {"alice"}, "password": {"correct horse battery"}})
	req.Header.Set(fiber.HeaderXForwardedFor, "203.0.113.9")
	req.Header.Set(fiber.HeaderUserAgent, "test-agent/1.0")
	r := s.do(t, req)
	r.wantRedirect(t, "POST /signup", "/login?notice=created")
	in := callArgs(t, &s.registrar.Calls, "Register")[0].(usecase.RegisterInput)
	want := usecase.RegisterInput{
		Username: "alice", Password: "correct horse battery",
		Client: usecase.Client{IP: netip.MustParseAddr("203.0.113.9"), UserAgent: "test-agent/1.0"},
	}
	if in != want {
		t.Errorf("POST /signup Register(%+v), want Register(%+v)", in, want)
	}
	if c := r.cookie(s.cookieName(sessionCookieName)); c != nil {
		t.Errorf("POST /signup set a session cookie %v; signing up does not log in", c)
	}
	if got := browser.get(t, "/login?notice=created").notice(); got != "Account created, please log in." {
		t.Errorf("GET /login?notice=created notice = %q, want %q", got, "Account created, please log in.")
	}
}

// TestSignupRefused protects the refusals that re-render the form: the
// status, the message at the top and next to each field, the username as
// typed and never the password.
func TestSignupRefused(t *testing.T) {
	t.Parallel()
	const password = "typed-password-never-shown"
	tests := []struct {
		name           string
		err            error
		wantStatus     int
		wantAlert      string
		wantFields     map[string]string // field id -> message; the others have none
		wantRetryAfter string
	}{
		{"taken", fmt.Errorf("register %q: %w", "alice", domain.ErrUsernameTaken), http.StatusConflict,
			"That username is already taken.", map[string]string{"username": "That username is already taken."}, ""},
		{"invalid", &usecase.InvalidInputError{Fields: map[usecase.Input]string{
			usecase.InputUsername: "Username must be 3 to 32 characters.",
			usecase.InputPassword: "Password must be at least 12 characters.",
		}}, http.StatusUnprocessableEntity, "Some fields are not valid. Please correct them and try again.",
			map[string]string{"username": "Username must be 3 to 32 characters.", "password": "Password must be at least 12 characters."}, ""},
		{"invalid password only", &usecase.InvalidInputError{Fields: map[usecase.Input]string{
			usecase.InputPassword: "That password is too common.",
		}}, http.StatusUnprocessableEntity, "Some fields are not valid. Please correct them and try again.",
			map[string]string{"password": "That password is too common."}, ""},
		{"throttled", &domain.ThrottledError{RetryAfter: 90 * time.Second}, http.StatusTooManyRequests,
			"Too many attempts. Please wait 2 minutes and try again.", nil, "90"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.registrar.RegisterFunc = func(usecase.RegisterInput) (domain.User, error) { return domain.User{}, tt.err }
			what := "POST /signup (" + tt.name + ")"
			r := s.anonymous(t).post(t, "/signup", url.Values{"username": {"al ice"}, "password": {password}})

			if r.status != tt.wantStatus {
				t.Errorf("%s status = %d, want %d", what, r.status, tt.wantStatus)
			}
			if got := r.alert(); got != tt.wantAlert {
				t.Errorf("%s alert = %q, want %q", what, got, tt.wantAlert)
			}
			for _, field := range []string{"username", "password"} {
				if got := r.fieldError(field); got != tt.wantFields[field] {
					t.Errorf("%s message of %s = %q, want %q", what, field, got, tt.wantFields[field])
				}
			}
			if got := r.header.Get(fiber.HeaderRetryAfter); got != tt.wantRetryAfter {
				t.Errorf("%s Retry-After = %q, want %q", what, got, tt.wantRetryAfter)
			}
			if got := r.first(usernameValuePattern); got != "al ice" {
				t.Errorf("%s username field = %q, want %q as typed", what, got, "al ice")
			}
			if strings.Contains(r.body, password) {
				t.Errorf("%s page holds the password", what)
			}
		})
	}
}

// TestSignupServerError protects that a failure of the use case is the
// error page, not the form: a 500 for the unknown, a 503 with Retry-After
// for a busy service.
func TestSignupServerError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		err            error
		wantStatus     int
		wantMessage    string
		wantRetryAfter string
	}{
		{"unknown", errors.New("sqlstore: disk full"), http.StatusInternalServerError, "The server could not complete the request. Please try again.", ""},
		{"unavailable", fmt.Errorf("hash: %w", domain.ErrUnavailable), http.StatusServiceUnavailable, "The service is busy. Please try again in a moment.", "5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.registrar.RegisterFunc = func(usecase.RegisterInput) (domain.User, error) { return domain.User{}, tt.err }
			what := "POST /signup (" + tt.name + ")"
			r := s.anonymous(t).post(t, "/signup", url.Values{"username": {"alice"}, "password": {"pw"}})
			r.wantPage(t, what, tt.wantStatus, tt.wantMessage)
			if strings.Contains(r.body, `action="/signup"`) {
				t.Errorf("%s shows the signup form, want the error page", what)
			}
			if got := r.header.Get(fiber.HeaderRetryAfter); got != tt.wantRetryAfter {
				t.Errorf("%s Retry-After = %q, want %q", what, got, tt.wantRetryAfter)
			}
		})
	}
}
