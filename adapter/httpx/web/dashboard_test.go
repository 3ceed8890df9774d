package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestDashboardAnonymous protects that GET / sends a visitor to the login
// page with the way back.
func TestDashboardAnonymous(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.stranger().get(t, "/").wantRedirect(t, "GET / (anonymous)", "/login?next=%2F")
	s.stranger().get(t, "/?tab=1").wantRedirect(t, "GET /?tab=1 (anonymous)", "/login?next=%2F%3Ftab%3D1")
	wantNoCall(t, &s.account.Calls, "PreviousLogin")
}

// TestDashboard protects the dashboard: the previous visit read from a
// last_visit cookie only this account can have signed, the previous
// login, how long the session lasts, and the new last_visit cookie.
func TestDashboard(t *testing.T) {
	t.Parallel()
	visited := time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)
	codec := newLastVisitCodec(testSecret)
	const (
		firstVisit = "This is your first visit."
		closeNote  = "You will be logged out when you close your browser or after a while without activity."
	)
	tests := []struct {
		name       string
		lastVisit  string // the cookie's value; "" sends none
		previous   domain.PreviousLogin
		persistent bool
		want       []string // sentences the page says
		wantNot    []string // sentences it must not say
	}{
		{"first visit", "", domain.PreviousLogin{}, false,
			[]string{firstVisit, closeNote}, []string{"Last login:", "Your last visit"}},
		{"last visit", codec.encode(1, visited), domain.PreviousLogin{}, false,
			[]string{"Your last visit was Friday, 13 March 2026 at 08:00 UTC."}, []string{firstVisit}},
		{"another account's cookie", codec.encode(2, visited), domain.PreviousLogin{}, false,
			[]string{firstVisit}, []string{"Your last visit"}},
		{"edited cookie", codec.encode(1, visited)[:10] + "9" + codec.encode(1, visited)[11:], domain.PreviousLogin{}, false,
			[]string{firstVisit}, []string{"Your last visit"}},
		{"cookie of another key", newLastVisitCodec([]byte("another secret key of 32 bytes!!")).encode(1, visited), domain.PreviousLogin{}, false,
			[]string{firstVisit}, []string{"Your last visit"}},
		{"previous login", "", domain.PreviousLogin{Known: true, At: time.Date(2026, 3, 12, 18, 30, 0, 0, time.UTC), IP: "203.0.113.7"}, false,
			[]string{"Last login: Thursday, 12 March 2026 at 18:30 UTC from 203.0.113.7"}, nil},
		{"previous login without address", "", domain.PreviousLogin{Known: true, At: time.Date(2026, 3, 12, 18, 30, 0, 0, time.UTC)}, false,
			[]string{"Last login: Thursday, 12 March 2026 at 18:30 UTC You will"}, []string{" from "}},
		{"remembered session", "", domain.PreviousLogin{}, true,
			[]string{"You stay logged in on this device until Saturday, 11 April 2026 at 09:26 UTC or until you log out."}, []string{closeNote}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestSite(t)
			p := alice()
			if tt.persistent {
				p.Session.Persistent = true
				p.Session.ExpiresAt = testNow.Add(28 * 24 * time.Hour)
			}
			browser, p := s.signIn(t, p)
			if tt.lastVisit != "" {
				browser.cookies = append(browser.cookies, &http.Cookie{Name: s.cookieName(lastVisitCookieName), Value: tt.lastVisit})
			}
			s.account.PreviousLoginFunc = func(usecase.Principal) (domain.PreviousLogin, bool, error) {
				return tt.previous, tt.previous.Exists(), nil
			}
			what := "GET / (" + tt.name + ")"
			r := browser.get(t, "/")

			r.wantPage(t, what, http.StatusOK, "Welcome, alice")
			for _, sentence := range tt.want {
				if !r.says(sentence) {
					t.Errorf("%s does not say %q; it says:\n%s", what, sentence, r.text())
				}
			}
			for _, sentence := range tt.wantNot {
				if r.says(sentence) {
					t.Errorf("%s says %q; it says:\n%s", what, sentence, r.text())
				}
			}
			if got := callArgs(t, &s.account.Calls, "PreviousLogin")[0].(usecase.Principal); got != p {
				t.Errorf("%s PreviousLogin(%+v), want the signed-in principal %+v", what, got, p)
			}
			c := r.cookie(s.cookieName(lastVisitCookieName))
			if c == nil {
				t.Fatalf("%s set no last_visit cookie; cookies = %v", what, r.cookies)
			}
			wantCookieAttributes(t, what, c)
			if at, ok := codec.decode(c.Value, p.User.ID); !ok || !at.Equal(testNow.Truncate(time.Second)) {
				t.Errorf("%s last_visit cookie %q decodes to %v, %v; want now, %v", what, c.Value, at, ok, testNow)
			}
			if want := int((720 * time.Hour).Seconds()); c.MaxAge != want {
				t.Errorf("%s last_visit Max-Age = %d, want LastVisitMaxAge %d", what, c.MaxAge, want)
			}
		})
	}
}

// TestDashboardMustChangePassword protects that a user who must choose a
// new password sees the account page first.
func TestDashboardMustChangePassword(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	p := alice()
	p.User.MustChangePassword = true
	browser, _ := s.signIn(t, p)
	r := browser.get(t, "/")
	r.wantRedirect(t, "GET / (must change password)", "/account?notice=must-change-password")
	wantNoCall(t, &s.account.Calls, "PreviousLogin")
	if c := r.cookie(s.cookieName(lastVisitCookieName)); c != nil {
		t.Errorf("GET / (must change password) set last_visit %v, want none before the dashboard is shown", c)
	}
}
