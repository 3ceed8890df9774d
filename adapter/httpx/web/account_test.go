package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

const (
	firefoxOnLinux  = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
	chromeOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)

// TestAccountAnonymous protects that every account route sends a visitor
// to the login page: a GET with the way back, a POST without.
func TestAccountAnonymous(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.stranger().get(t, "/account").wantRedirect(t, "GET /account (anonymous)", "/login?next=%2Faccount")
	for _, target := range []string{"/account/password", "/account/sessions/revoke-others", "/account/sessions/7/revoke", "/account/delete"} {
		s.anonymous(t).post(t, target, url.Values{"password": {"pw"}}).wantRedirect(t, "POST "+target+" (anonymous)", "/login")
	}
	for _, method := range []string{"Sessions", "ChangePassword", "RevokeSession", "RevokeOtherSessions", "Delete"} {
		wantNoCall(t, &s.account.Calls, method)
	}
}

// TestAccountPage protects GET /account: the user's sessions (this one
// marked, whether each passed a second factor, the others each with a
// button that logs it out), the recent
// activity (an admin's address and browser left out), and a notice
// chosen by key.
func TestAccountPage(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, p := s.signIn(t, alice())
	other := domain.Session{ID: 7, UserID: 1, CreatedAt: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC),
		LastSeenAt: time.Date(2026, 3, 13, 20, 15, 0, 0, time.UTC), IP: "198.51.100.4", UserAgent: firefoxOnLinux}
	current := p.Session
	current.UserAgent = chromeOnWindows
	current.IP = "203.0.113.7"
	current.TwoFactorAt = current.CreatedAt
	s.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) {
		return []domain.Session{current, other}, nil
	}
	s.account.RecentActivityFunc = func(usecase.Principal) ([]domain.SecurityEvent, error) {
		return []domain.SecurityEvent{
			{Kind: domain.EventLoginSuccess, UserID: 1, IP: "203.0.113.7", UserAgent: chromeOnWindows, At: time.Date(2026, 3, 14, 8, 26, 0, 0, time.UTC)},
			{Kind: domain.EventLoginFailure, UserID: 1, IP: "192.0.2.1", Detail: domain.FailureBadPassword, At: time.Date(2026, 3, 14, 8, 25, 0, 0, time.UTC)},
			{Kind: domain.EventAdminEnable, UserID: 1, ActorID: 2, IP: "192.0.2.99", UserAgent: firefoxOnLinux, At: time.Date(2026, 3, 13, 7, 0, 0, 0, time.UTC)},
		}, nil
	}
	r := browser.get(t, "/account?notice=session-revoked")

	r.wantPage(t, "GET /account", http.StatusOK, "Change password")
	if got := r.notice(); got != "The session has been logged out." {
		t.Errorf("GET /account?notice=session-revoked notice = %q, want %q", got, "The session has been logged out.")
	}
	wantRows := []string{
		"Chrome on Windows This device 203.0.113.7 14 Mar 2026, 08:26 UTC 14 Mar 2026, 09:25 UTC Yes",
		"Firefox on Linux 198.51.100.4 10 Mar 2026, 12:00 UTC 13 Mar 2026, 20:15 UTC No Log out Firefox on Linux, logged in 10 Mar 2026, 12:00 UTC",
	}
	if got := r.rows("session"); strings.Join(got, "\n") != strings.Join(wantRows, "\n") {
		t.Errorf("GET /account sessions =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
	}
	if !strings.Contains(r.body, `action="/account/sessions/7/revoke"`) || strings.Contains(r.body, `action="/account/sessions/1/revoke"`) {
		t.Errorf("GET /account: want a revoke form for session 7 and none for this session (1)")
	}
	if !r.says("Log out of all other sessions") {
		t.Errorf("GET /account with another session has no button to log out of all other sessions")
	}
	wantActivity := []string{
		"14 Mar 2026, 08:26 UTC Logged in 203.0.113.7 Chrome on Windows",
		"14 Mar 2026, 08:25 UTC Failed login: wrong password 192.0.2.1 —",
		"13 Mar 2026, 07:00 UTC Account enabled by an admin — —",
	}
	if got := r.rows("activity"); strings.Join(got, "\n") != strings.Join(wantActivity, "\n") {
		t.Errorf("GET /account activity =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantActivity, "\n"))
	}
	for _, method := range []string{"Sessions", "RecentActivity"} {
		if got := callArgs(t, &s.account.Calls, method)[0].(usecase.Principal); got != p {
			t.Errorf("GET /account %s(%+v), want the signed-in principal", method, got)
		}
	}
	if got := r.csrfField(); got != browser.csrf {
		t.Errorf("GET /account csrf field = %q, want the session's token %q", got, browser.csrf)
	}
}

// TestAccountPageOnlySession protects that with no other session there
// is nothing to log out of, and no activity says so.
func TestAccountPageOnlySession(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, p := s.signIn(t, alice())
	s.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return []domain.Session{p.Session}, nil }
	r := browser.get(t, "/account")
	r.wantPage(t, "GET /account (only session)", http.StatusOK, "No activity yet.")
	if r.says("Log out of all other sessions") || strings.Contains(r.body, "/revoke\"") {
		t.Errorf("GET /account (only session) offers to log out other sessions")
	}
	if got := r.notice(); got != "" {
		t.Errorf("GET /account (only session) notice = %q, want none", got)
	}
}

// TestAccountMustChangePassword protects the account page of a user who
// must choose a new password: it says so, and it is where every other
// page sends them.
func TestAccountMustChangePassword(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	p := alice()
	p.User.MustChangePassword = true
	browser, _ := s.signIn(t, p)
	r := browser.get(t, "/account")
	r.wantPage(t, "GET /account (must change password)", http.StatusOK, "Your password no longer meets the password rules. Choose a new one to continue.")
	if got, want := r.notice(), "Please choose a new password before you continue."; got != want {
		t.Errorf("GET /account (must change password) notice = %q, want %q", got, want)
	}
	for _, target := range []string{"/", "/admin/users"} {
		browser.get(t, target).wantRedirect(t, "GET "+target+" (must change password)", "/account?notice=must-change-password")
	}
}

// TestChangePassword protects a successful POST /account/password: the
// use case gets both passwords, this browser gets the new session's
// cookie (persistent if the old one was), and the account page says it
// worked.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		persistent bool
		wantMaxAge int
	}{
		{"browser session", false, 0},
		{"remembered session", true, 14 * 24 * 3600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			p := alice()
			p.User.MustChangePassword = true // may still post the form
			browser, p := s.signIn(t, p)
			fresh := s.tokens.next()
			s.account.ChangePasswordFunc = func(usecase.Principal, string, string) (domain.Token, domain.Session, error) {
				return fresh, domain.Session{ID: 9, UserID: 1, Persistent: tt.persistent, CreatedAt: testNow, ExpiresAt: testNow.Add(14 * 24 * time.Hour)}, nil
			}
			what := "POST /account/password (" + tt.name + ")"
			r := browser.post(t, "/account/password", url.Values{"current_password": {"old one"}, "new_password": {"a new passphrase"}})
			r.wantRedirect(t, what, "/account?notice=password-changed")
			r.wantSessionCookie(t, s, what, fresh, tt.wantMaxAge)
			args := callArgs(t, &s.account.Calls, "ChangePassword")
			if args[0].(usecase.Principal) != p || args[1] != "old one" || args[2] != "a new passphrase" {
				t.Errorf("%s ChangePassword(%v, %q, %q), want the principal, %q, %q", what, args[0], args[1], args[2], "old one", "a new passphrase")
			}
		})
	}
}

// TestAccountFormRefused protects the account forms' refusals that
// re-render the page: the status, the alert, the message next to the
// field, no password written back, no cookie changed.
func TestAccountFormRefused(t *testing.T) {
	t.Parallel()
	const typed = "typed-password-never-shown"
	invalid := func(in usecase.Input, msg string) error {
		return &usecase.InvalidInputError{Fields: map[usecase.Input]string{in: msg}}
	}
	tests := []struct {
		name       string
		target     string
		err        error
		wantStatus int
		wantAlert  string
		wantField  string // the id of the field with a message
		wantMsg    string
	}{
		{"wrong current password", "/account/password", invalid(usecase.InputCurrentPassword, "Your current password is not correct."),
			http.StatusUnprocessableEntity, "Some fields are not valid. Please correct them and try again.", "current_password", "Your current password is not correct."},
		{"weak new password", "/account/password", invalid(usecase.InputNewPassword, "Password must be at least 12 characters."),
			http.StatusUnprocessableEntity, "Some fields are not valid. Please correct them and try again.", "new_password", "Password must be at least 12 characters."},
		{"wrong password to delete", "/account/delete", invalid(usecase.InputPassword, "Your current password is not correct."),
			http.StatusUnprocessableEntity, "Some fields are not valid. Please correct them and try again.", "delete_password", "Your current password is not correct."},
		{"last admin deletes itself", "/account/delete", fmt.Errorf("delete user 2: %w", domain.ErrLastAdmin),
			http.StatusConflict, "The last admin cannot be demoted, disabled or deleted.", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.account.ChangePasswordFunc = func(usecase.Principal, string, string) (domain.Token, domain.Session, error) {
				return "", domain.Session{}, tt.err
			}
			s.account.DeleteFunc = func(usecase.Principal, string) error { return tt.err }
			browser, _ := s.signIn(t, root())
			what := "POST " + tt.target + " (" + tt.name + ")"
			r := browser.post(t, tt.target, url.Values{"current_password": {typed}, "new_password": {typed}, "password": {typed}})

			if r.status != tt.wantStatus {
				t.Errorf("%s status = %d, want %d", what, r.status, tt.wantStatus)
			}
			if got := r.heading(); got != "Your account" {
				t.Errorf("%s heading = %q, want the account page", what, got)
			}
			if got := r.alert(); got != tt.wantAlert {
				t.Errorf("%s alert = %q, want %q", what, got, tt.wantAlert)
			}
			for _, field := range []string{"current_password", "new_password", "delete_password"} {
				want := ""
				if field == tt.wantField {
					want = tt.wantMsg
				}
				if got := r.fieldError(field); got != want {
					t.Errorf("%s message of %s = %q, want %q", what, field, got, want)
				}
			}
			if strings.Contains(r.body, typed) {
				t.Errorf("%s page holds the password", what)
			}
			if len(r.cookies) != 0 {
				t.Errorf("%s set cookies %v, want none", what, r.cookies)
			}
		})
	}
}

// TestDeleteAccount protects a successful POST /account/delete: the use
// case gets the password, every cookie is cleared, the login page says so.
func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, p := s.signIn(t, alice())
	r := browser.post(t, "/account/delete", url.Values{"password": {"my password"}})
	r.wantRedirect(t, "POST /account/delete", "/login?notice=account-deleted")
	r.wantCleared(t, s, "POST /account/delete", sessionCookieName, lastVisitCookieName, visitorCookieName)
	args := callArgs(t, &s.account.Calls, "Delete")
	if args[0].(usecase.Principal) != p || args[1] != "my password" {
		t.Errorf("POST /account/delete Delete(%v, %q), want the principal and %q", args[0], args[1], "my password")
	}
	if got := s.anonymous(t).get(t, "/login?notice=account-deleted").notice(); got != "Your account has been deleted." {
		t.Errorf("GET /login?notice=account-deleted notice = %q, want %q", got, "Your account has been deleted.")
	}
}

// TestRevokeOtherSessions protects POST /account/sessions/revoke-others.
func TestRevokeOtherSessions(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, p := s.signIn(t, alice())
	r := browser.post(t, "/account/sessions/revoke-others", nil)
	r.wantRedirect(t, "POST /account/sessions/revoke-others", "/account?notice=other-sessions-revoked")
	if got := callArgs(t, &s.account.Calls, "RevokeOtherSessions")[0].(usecase.Principal); got != p {
		t.Errorf("POST /account/sessions/revoke-others RevokeOtherSessions(%+v), want the signed-in principal", got)
	}
	if got := browser.get(t, "/account?notice=other-sessions-revoked").notice(); got != "All your other sessions have been logged out." {
		t.Errorf("GET /account?notice=other-sessions-revoked notice = %q", got)
	}

	s.account.RevokeOtherSessionsFunc = func(usecase.Principal) (int64, error) { return 0, errors.New("sqlstore: locked") }
	browser.post(t, "/account/sessions/revoke-others", nil).wantPage(t, "POST /account/sessions/revoke-others (store fails)",
		http.StatusInternalServerError, "The server could not complete the request.")
}

// TestRevokeSession protects POST /account/sessions/:id/revoke: the id
// reaches the use case, and an id that is not one (or that names no
// session of the user's) is the 404 page.
func TestRevokeSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id         string
		err        error // the use case's answer
		wantStatus int
		wantCall   bool
	}{
		{"7", nil, http.StatusSeeOther, true},
		{"9223372036854775807", nil, http.StatusSeeOther, true},
		{"8", fmt.Errorf("revoke session 8 of user 1: %w", domain.ErrNotFound), http.StatusNotFound, true},
		{"0", nil, http.StatusNotFound, false},
		{"-7", nil, http.StatusNotFound, false},
		{"007", nil, http.StatusNotFound, false},
		{"7x", nil, http.StatusNotFound, false},
		{"9223372036854775808", nil, http.StatusNotFound, false},
		{"%20", nil, http.StatusNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			s.account.RevokeSessionFunc = func(usecase.Principal, domain.SessionID) error { return tt.err }
			browser, _ := s.signIn(t, alice())
			target := "/account/sessions/" + tt.id + "/revoke"
			what := "POST " + target
			r := browser.post(t, target, nil)
			if r.status != tt.wantStatus {
				t.Errorf("%s status = %d, want %d", what, r.status, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusSeeOther {
				r.wantRedirect(t, what, "/account?notice=session-revoked")
			} else {
				r.wantPage(t, what, http.StatusNotFound, "There is nothing at this address.")
			}
			if got := s.account.Count("RevokeSession"); (got == 1) != tt.wantCall {
				t.Fatalf("%s RevokeSession called %d times, want called: %v", what, got, tt.wantCall)
			}
			if tt.wantCall {
				if got := callArgs(t, &s.account.Calls, "RevokeSession")[1].(domain.SessionID); fmt.Sprint(got) != tt.id {
					t.Errorf("%s RevokeSession id = %d, want %s", what, got, tt.id)
				}
			}
		})
	}
}

// TestAccountPageFails protects that a failure to list the sessions or
// the activity is the error page.
func TestAccountPageFails(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.account.RecentActivityFunc = func(usecase.Principal) ([]domain.SecurityEvent, error) {
		return nil, errors.New("sqlstore: no such table")
	}
	browser, _ := s.signIn(t, alice())
	r := browser.get(t, "/account")
	r.wantPage(t, "GET /account (store fails)", http.StatusInternalServerError, "The server could not complete the request.")
	if got := r.header.Get(fiber.HeaderCacheControl); got != "no-store" {
		t.Errorf("GET /account (store fails) Cache-Control = %q, want no-store", got)
	}
}
