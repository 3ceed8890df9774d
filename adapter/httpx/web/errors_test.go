package web

import (
	"errors"
	"net/http"
	"strings"
	"testing"

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
	lines := s.log.lines("request failed")
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
	if n, m := len(s.log.lines("httpx: request failed")), len(s.log.lines("web: render error page")); n != 1 || m != 1 {
		t.Errorf("GET /login (no random) logged %d request failures and %d render failures, want 1 and 1:\n%s", n, m, s.log.String())
	}
	if !strings.Contains(s.log.String(), errNoRandom.Error()) {
		t.Errorf("GET /login (no random) log lacks the cause %q", errNoRandom)
	}
}
