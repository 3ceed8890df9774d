package web

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestLogoutForm protects GET /logout: it changes nothing, and offers a
// signed-in user a button that posts the logout.
func TestLogoutForm(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.stranger().get(t, "/logout").wantRedirect(t, "GET /logout (anonymous)", "/login")

	browser, _ := s.signIn(t, alice())
	r := browser.get(t, "/logout")
	r.wantPage(t, "GET /logout", http.StatusOK, "Do you want to log out of gatehouse?")
	if !strings.Contains(r.body, `<form method="post" action="/logout">`) || r.csrfField() != browser.csrf {
		t.Errorf("GET /logout has no form posting /logout with the session's token %q", browser.csrf)
	}
	wantNoCall(t, &s.account.Calls, "Logout")
	wantNoCall(t, &s.sessions.Calls, "Revoke")
	if len(r.cookies) != 0 {
		t.Errorf("GET /logout set cookies %v, want none", r.cookies)
	}
}

// TestLogout protects POST /logout: the session ends on the server, every
// cookie of the site is cleared, and the login page says so.
func TestLogout(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, p := s.signIn(t, alice())
	r := browser.post(t, "/logout", nil)
	r.wantRedirect(t, "POST /logout", "/login?notice=logged-out")
	r.wantCleared(t, s, "POST /logout", sessionCookieName, lastVisitCookieName, visitorCookieName)
	args := callArgs(t, &s.account.Calls, "Logout")
	if args[0].(usecase.Principal) != p {
		t.Errorf("POST /logout Logout(%+v), want the signed-in principal", args[0])
	}
	if got := args[1].(usecase.Client).IP; got != netip.IPv4Unspecified() {
		t.Errorf("POST /logout Logout client IP = %v, want %v", got, netip.IPv4Unspecified())
	}
	wantNoCall(t, &s.sessions.Calls, "Revoke")
	if got := s.anonymous(t).get(t, "/login?notice=logged-out").notice(); got != "You have been logged out." {
		t.Errorf("GET /login?notice=logged-out notice = %q, want %q", got, "You have been logged out.")
	}
}

// TestLogoutUnknownSession protects that a cookie which no longer
// resolves (the form was bound to the visitor then) is revoked all the
// same, in case it still names a session, and cleared.
func TestLogoutUnknownSession(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser := s.anonymous(t)
	stale := s.tokens.next()
	browser.cookies = append(browser.cookies, &http.Cookie{Name: s.cookieName(sessionCookieName), Value: stale.Reveal()})
	r := browser.post(t, "/logout", nil)
	r.wantRedirect(t, "POST /logout (unknown session)", "/login?notice=logged-out")
	r.wantCleared(t, s, "POST /logout (unknown session)", sessionCookieName, lastVisitCookieName, visitorCookieName)
	if got := callArgs(t, &s.sessions.Calls, "Revoke")[0].(domain.Token); got != stale {
		t.Errorf("POST /logout (unknown session) Revoke(%q), want the cookie's token %q", got.Reveal(), stale.Reveal())
	}
	wantNoCall(t, &s.account.Calls, "Logout")
}

// TestLogoutAnonymous protects that a logout without any session asks
// nothing of the use cases and still clears the cookies.
func TestLogoutAnonymous(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	r := s.anonymous(t).post(t, "/logout", nil)
	r.wantRedirect(t, "POST /logout (anonymous)", "/login?notice=logged-out")
	r.wantCleared(t, s, "POST /logout (anonymous)", sessionCookieName, visitorCookieName)
	wantNoCall(t, &s.account.Calls, "Logout")
	wantNoCall(t, &s.sessions.Calls, "Revoke")
}

// TestLogoutFails protects that a logout the server could not record is
// the error page, and the cookies stay: the session may still be live.
func TestLogoutFails(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.account.LogoutFunc = func(usecase.Principal) error { return errors.New("sqlstore: connection reset") }
	browser, _ := s.signIn(t, alice())
	r := browser.post(t, "/logout", nil)
	r.wantPage(t, "POST /logout (store fails)", http.StatusInternalServerError, "The server could not complete the request. Please try again.")
	if c := r.cookie(s.cookieName(sessionCookieName)); c != nil {
		t.Errorf("POST /logout (store fails) set the session cookie %v, want it kept", c)
	}
}
