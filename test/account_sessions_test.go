package test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
)

func TestAccountListsSessions(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	chrome := srv.newBrowser()
	chrome.header.Set("User-Agent", chromeOnWindows)
	chrome.login("alice", alicePassword, false)

	page := b.get("/account")
	sessions := sessionRows(page.Body)
	if len(sessions) != 2 {
		t.Fatalf("GET /account lists %d sessions, want 2; body:\n%s", len(sessions), page.Body)
	}
	var current, chromeRow []string
	for _, row := range sessions {
		if strings.Contains(row, "This device") {
			current = append(current, row)
		}
		if strings.Contains(row, "Chrome on Windows") {
			chromeRow = append(chromeRow, row)
		}
		if !strings.Contains(row, "<td>127.0.0.1</td>") {
			t.Errorf("session row lacks the IP 127.0.0.1:\n%s", row)
		}
	}
	if len(current) != 1 || strings.Contains(current[0], "Chrome") || strings.Contains(current[0], "revoke") {
		t.Errorf("rows marked This device = %q, want exactly this (non-Chrome) browser's, without a revoke button", current)
	}
	if len(chromeRow) != 1 || !strings.Contains(chromeRow[0], "/revoke") {
		t.Errorf("Chrome on Windows rows = %q, want one with a revoke button", chromeRow)
	}
	if strings.Contains(page.Body, "Mozilla/5.0") {
		t.Errorf("GET /account shows the raw User-Agent, want only the readable name")
	}
}

func TestRevokeSession(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	other := srv.newBrowser()
	other.login("alice", alicePassword, false)

	ids := revokableSessions(b.get("/account").Body)
	if len(ids) != 1 {
		t.Fatalf("GET /account offers %d revoke buttons, want 1 (the other browser)", len(ids))
	}
	res := b.post("/account/sessions/"+ids[0]+"/revoke", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?notice=session-revoked" {
		t.Fatalf("POST revoke = %d to %q, want 303 to /account?notice=session-revoked", res.StatusCode, res.Header.Get("Location"))
	}
	if page := b.get(res.Header.Get("Location")); !strings.Contains(page.Body, "The session has been logged out.") || len(sessionRows(page.Body)) != 1 {
		t.Errorf("account page after the revoke lacks the confirmation or still lists the session")
	}
	if loggedIn(t, other) {
		t.Errorf("the revoked browser is still logged in")
	}
	if !loggedIn(t, b) {
		t.Errorf("revoking another session logged this one out")
	}
}

func TestRevokeOtherSessions(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	others := []*browser{srv.newBrowser(), srv.newBrowser()}
	for _, o := range others {
		o.login("alice", alicePassword, true)
	}

	res := b.post("/account/sessions/revoke-others", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?notice=other-sessions-revoked" {
		t.Fatalf("POST revoke-others = %d to %q, want 303 to /account?notice=other-sessions-revoked", res.StatusCode, res.Header.Get("Location"))
	}
	page := b.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "All your other sessions have been logged out.") {
		t.Errorf("account page after revoke-others lacks the confirmation")
	}
	if n := len(sessionRows(page.Body)); n != 1 {
		t.Errorf("sessions listed after revoke-others = %d, want 1 (this one)", n)
	}
	for i, o := range others {
		if loggedIn(t, o) {
			t.Errorf("other browser %d is still logged in", i)
		}
	}
	if !loggedIn(t, b) {
		t.Errorf("revoke-others logged this browser out")
	}
}

func TestRevokeSessionOfAnotherUserIs404(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	alice := srv.newBrowser()
	alice.signup("alice", alicePassword)
	alice.signup("bobby", bobPassword)
	alice.login("alice", alicePassword, false)
	bob, bobElsewhere := srv.newBrowser(), srv.newBrowser()
	bob.login("bobby", bobPassword, false)
	bobElsewhere.login("bobby", bobPassword, false)
	ids := revokableSessions(bob.get("/account").Body)
	if len(ids) != 1 {
		t.Fatalf("bob's account page offers %d revoke buttons, want 1", len(ids))
	}

	for _, id := range []string{ids[0], "0", "-1", "01", "abc", "1e3", "99999999999999999999"} {
		if res := alice.post("/account/sessions/"+id+"/revoke", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("alice POST /account/sessions/%s/revoke = %d, want 404", id, res.StatusCode)
		}
	}
	if !loggedIn(t, bobElsewhere) {
		t.Errorf("alice revoked a session of bob's")
	}
}

func TestRecentActivity(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	clock.Advance(time.Minute)
	b.login("alice", alicePassword, false)
	clock.Advance(time.Minute)
	attacker := srv.newBrowser()
	attacker.header.Set("User-Agent", chromeOnWindows)
	loginAttempt(attacker, "alice", "guessing the password")
	clock.Advance(time.Minute)
	if res := b.post("/account/password", url.Values{"current_password": {alicePassword}, "new_password": {newPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/password = %d, want 303", res.StatusCode)
	}

	page := b.get("/account")
	want := []string{"Password changed", "Failed login: wrong password", "Logged in", "Account created"}
	if got := activity(page.Body); !slices.Equal(got, want) {
		t.Errorf("recent activity = %q, want %q (newest first)", got, want)
	}
	failure := rows(page.Body, `<tr class="activity">`)
	if len(failure) < 2 || !strings.Contains(failure[1], "<td>127.0.0.1</td>") || !strings.Contains(failure[1], "Chrome on Windows") {
		t.Errorf("the failed login's row lacks its IP or browser: %q", failure)
	}
	if !strings.Contains(failure[1], `datetime="2026-11-26T09:02:00Z"`) {
		t.Errorf("the failed login's row lacks its time 09:02 UTC: %q", failure[1])
	}
}

func TestRecentActivityShowsAtMost20(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	for range 22 {
		b.login("alice", alicePassword, false)
	}
	if n := len(activity(b.get("/account").Body)); n != usecase.RecentActivityLimit {
		t.Errorf("recent activity after 23 events shows %d, want %d", n, usecase.RecentActivityLimit)
	}
}

var lastLoginLine = regexp.MustCompile(`Last login: <time datetime="([^"]+)">[^<]+</time> from ([^<]+)</p>`)

func TestDashboardShowsThePreviousLogin(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	first := clock.Now()
	b.login("alice", alicePassword, false)
	if dash := b.get("/"); strings.Contains(dash.Body, "Last login:") {
		t.Errorf("the first login's dashboard shows a previous login")
	}

	clock.Advance(2 * time.Hour)
	b.login("alice", alicePassword, false)
	m := lastLoginLine.FindStringSubmatch(b.get("/").Body)
	if m == nil {
		t.Fatalf("the second login's dashboard lacks the Last login line")
	}
	if m[1] != first.UTC().Format(time.RFC3339) || m[2] != "127.0.0.1" {
		t.Errorf("Last login = %s from %s, want the first login: %s from 127.0.0.1", m[1], m[2], first.UTC().Format(time.RFC3339))
	}
}
