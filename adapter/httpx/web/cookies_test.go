package web

import (
	"errors"
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// TestSessionCookie protects how a request's session cookie is read: a
// known token signs the user in and leaves the cookie alone; an unknown
// (or expired, or revoked) one, and a malformed one that never reaches the
// store, are treated as no cookie and cleared.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		value       func(s *testSite) string
		wantUser    bool
		wantResolve bool
		wantCleared bool
	}{
		{"known", func(s *testSite) string {
			b, _ := s.signIn(t, alice())
			return b.token.Reveal()
		}, true, true, false},
		{"unknown", func(s *testSite) string { return s.tokens.next().Reveal() }, false, true, true},
		{"malformed", func(*testSite) string { return "not-a-token" }, false, false, true},
		{"too long", func(s *testSite) string { return s.tokens.next().Reveal() + "A" }, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			value := tt.value(s)
			browser := &visitor{site: s, cookies: []*http.Cookie{{Name: s.cookieName(sessionCookieName), Value: value}}}
			what := "GET /login (" + tt.name + " session cookie)"
			r := browser.get(t, "/login")

			if tt.wantUser {
				r.wantRedirect(t, what, "/")
			} else {
				r.wantPage(t, what, http.StatusOK, "Log in Username Password")
			}
			if got := s.sessions.Count("Resolve"); (got == 1) != tt.wantResolve {
				t.Errorf("%s Resolve called %d times, want called: %v", what, got, tt.wantResolve)
			}
			if tt.wantResolve {
				if got := callArgs(t, &s.sessions.Calls, "Resolve")[0].(domain.Token); got.Reveal() != value {
					t.Errorf("%s Resolve(%q), want the cookie's token %q", what, got.Reveal(), value)
				}
			}
			if tt.wantCleared {
				r.wantCleared(t, s, what, sessionCookieName)
			} else if c := r.cookie(s.cookieName(sessionCookieName)); c != nil {
				t.Errorf("%s set the session cookie %v, want it left alone", what, c)
			}
		})
	}
}

// TestSessionStoreFails protects that a store that cannot resolve the
// session is the error page, not a silent logout: the cookie stays.
func TestSessionStoreFails(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	browser, _ := s.signIn(t, alice())
	s.sessions.ResolveErr = errors.New("sqlstore: database is locked")
	r := browser.get(t, "/account")
	r.wantPage(t, "GET /account (store fails)", http.StatusInternalServerError, "The server could not complete the request. Please try again.")
	if c := r.cookie(s.cookieName(sessionCookieName)); c != nil {
		t.Errorf("GET /account (store fails) set the session cookie %v, want it kept", c)
	}
	wantNoCall(t, &s.account.Calls, "Sessions")
}
