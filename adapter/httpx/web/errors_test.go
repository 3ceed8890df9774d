package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// TestServerErrorPage protects the 500 page: the site's layout with the
// request id to quote (the one in X-Request-ID), never the error's text,
// not cached, and one log line with the id, the route and the error.
func TestServerErrorPage(t *testing.T) {
	t.Parallel()
	const secret = "sqlstore: dial tcp 10.0.0.5:5432: password authentication failed for user gatehouse"
	s := newTestSite(t)
	s.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return nil, errors.New(secret) }
	browser, _ := s.signIn(t, alice())
	r := browser.get(t, "/account")

	r.wantPage(t, "GET /account (500)", http.StatusInternalServerError,
		"Error 500 Something went wrong The server could not complete the request. Please try again. Request ID: ")
	id := r.header.Get(fiber.HeaderXRequestID)
	if id == "" || r.requestID() != id {
		t.Errorf("GET /account (500) shows request id %q, want the X-Request-ID %q", r.requestID(), id)
	}
	if !r.says("If you report this problem, please quote this request ID so we can find what went wrong.") {
		t.Errorf("GET /account (500) does not ask to quote the request id")
	}
	for _, leak := range []string{secret, "sqlstore", "10.0.0.5"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("GET /account (500) page holds %q", leak)
		}
	}
	if got := r.header.Get(fiber.HeaderCacheControl); got != "no-store" {
		t.Errorf("GET /account (500) Cache-Control = %q, want no-store", got)
	}
	lines := s.log.Lines("request failed")
	if len(lines) != 1 {
		t.Fatalf("GET /account (500) logged %d lines, want 1:\n%s", len(lines), s.log.String())
	}
	for _, want := range []string{"level=ERROR", "request_id=" + id, "route=/account", "status=500", secret} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("GET /account (500) log line lacks %q: %s", want, lines[0])
		}
	}
	if strings.Contains(s.log.String(), browser.token.Reveal()) {
		t.Errorf("the log holds the session token")
	}
}

// TestClientErrorsNotLogged protects that refusals of the client (CSRF,
// not found, forbidden) are pages without a request id and no log line.
func TestClientErrorsNotLogged(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, _ := s.signIn(t, alice())
	for _, r := range []*result{
		browser.get(t, "/nope"),
		browser.get(t, "/admin/users"),
		s.stranger().post(t, "/login", nil),
	} {
		if r.status < 400 || r.status >= 500 || r.requestID() != "" {
			t.Errorf("client error = %d with request id %q, want a 4xx without one", r.status, r.requestID())
		}
	}
	if got := s.log.String(); got != "" {
		t.Errorf("client errors were logged:\n%s", got)
	}
}

// TestErrorPageUnrenderable protects the last resort: when even the error
// page cannot be rendered (here: no random bytes for the visitor's CSRF
// binding), the status and the description go out as plain text, and both
// failures are logged.
func TestErrorPageUnrenderable(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.tokens.fail = true
	r := s.stranger().get(t, "/login")
	if r.status != http.StatusInternalServerError {
		t.Errorf("GET /login (no random) status = %d, want %d", r.status, http.StatusInternalServerError)
	}
	if want := "Something went wrong. The server could not complete the request. Please try again."; r.body != want {
		t.Errorf("GET /login (no random) body = %q, want %q", r.body, want)
	}
	if got := r.header.Get(fiber.HeaderContentType); got != fiber.MIMETextPlainCharsetUTF8 {
		t.Errorf("GET /login (no random) Content-Type = %q, want %q", got, fiber.MIMETextPlainCharsetUTF8)
	}
	if n, m := len(s.log.Lines("httpx: request failed")), len(s.log.Lines("web: render error page")); n != 1 || m != 1 {
		t.Errorf("GET /login (no random) logged %d request failures and %d render failures, want 1 and 1:\n%s", n, m, s.log.String())
	}
	if !strings.Contains(s.log.String(), errNoRandom.Error()) {
		t.Errorf("GET /login (no random) log lacks the cause %q", errNoRandom)
	}
}

// TestUseCaseFailures protects that a use case's unknown failure is the
// 500 page with a request id, on every route that runs one.
func TestUseCaseFailures(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	fail := errors.New("usecase: broken")
	s.registrar.RegisterFunc = func(usecase.RegisterInput) (domain.User, error) { return domain.User{}, fail }
	s.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) { return usecase.LoginResult{}, fail }
	s.sessions.RevokeErr = fail
	s.account.ChangePasswordFunc = func(usecase.Principal, string, string) (domain.Token, domain.Session, error) {
		return "", domain.Session{}, fail
	}
	s.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return nil, fail }
	s.account.RevokeSessionFunc = func(usecase.Principal, domain.SessionID) error { return fail }
	s.account.RevokeOtherSessionsFunc = func(usecase.Principal) (int64, error) { return 0, fail }
	s.account.LogoutFunc = func(usecase.Principal) error { return fail }
	s.account.DeleteFunc = func(usecase.Principal, string) error { return fail }
	s.account.PreviousLoginFunc = func(usecase.Principal) (domain.PreviousLogin, bool, error) {
		return domain.PreviousLogin{}, false, fail
	}
	s.admin.ListFunc = func(usecase.Actor, string, int) (usecase.UserPage, error) { return usecase.UserPage{}, fail }
	s.admin.ActionErr = fail

	admin, _ := s.signIn(t, root())
	stale := s.anonymous(t)
	stale.cookies = append(stale.cookies, &http.Cookie{Name: s.cookieName(sessionCookieName), Value: s.tokens.next().Reveal()})
	form := url.Values{"username": {"alice"}, "password": {"pw"}, "current_password": {"a"}, "new_password": {"b"}, "role": {"user"}}
	tests := []struct {
		name   string
		method string
		req    *http.Request
	}{
		{"GET /", "PreviousLogin", admin.request(http.MethodGet, "/", nil)},
		{"GET /account", "Sessions", admin.request(http.MethodGet, "/account", nil)},
		{"GET /admin/users", "List", admin.request(http.MethodGet, "/admin/users", nil)},
		{"POST /signup", "Register", s.anonymous(t).formRequest("/signup", form)},
		{"POST /login", "Login", s.anonymous(t).formRequest("/login", form)},
		{"POST /logout", "Logout", admin.formRequest("/logout", nil)},
		{"POST /logout (stale cookie)", "Revoke", stale.formRequest("/logout", nil)},
		{"POST /account/password", "ChangePassword", admin.formRequest("/account/password", form)},
		{"POST /account/sessions/revoke-others", "RevokeOtherSessions", admin.formRequest("/account/sessions/revoke-others", nil)},
		{"POST /account/sessions/7/revoke", "RevokeSession", admin.formRequest("/account/sessions/7/revoke", nil)},
		{"POST /account/delete", "Delete", admin.formRequest("/account/delete", form)},
		{"POST /admin/users/5/disable", "Disable", admin.formRequest("/admin/users/5/disable", form)},
		{"POST /admin/users/5/role", "SetRole", admin.formRequest("/admin/users/5/role", form)},
	}
	for _, tt := range tests {
		r := s.do(t, tt.req)
		r.wantPage(t, tt.name+" ("+tt.method+" fails)", http.StatusInternalServerError, "The server could not complete the request. Please try again.")
		if id := r.header.Get(fiber.HeaderXRequestID); id == "" || r.requestID() != id {
			t.Errorf("%s (%s fails) shows request id %q, want %q", tt.name, tt.method, r.requestID(), id)
		}
		if strings.Contains(r.body, fail.Error()) {
			t.Errorf("%s (%s fails) page holds the error's text", tt.name, tt.method)
		}
	}
	calls := map[string]int{}
	for _, fake := range []*httpxtest.Calls{&s.registrar.Calls, &s.auth.Calls, &s.sessions.Calls, &s.account.Calls, &s.admin.Calls} {
		for _, tt := range tests {
			calls[tt.method] += fake.Count(tt.method)
		}
	}
	for _, tt := range tests {
		if calls[tt.method] != 1 {
			t.Errorf("%s: %s called %d times, want 1", tt.name, tt.method, calls[tt.method])
		}
	}
	if got := len(s.log.Lines("httpx: request failed")); got != len(tests) {
		t.Errorf("%d failures logged %d times, want once each", len(tests), got)
	}
}
