package test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

func TestAccountPageRequiresLogin(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	res := srv.newBrowser().get("/account")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Faccount" {
		t.Errorf("anonymous GET /account = %d to %q, want 303 to /login?next=%%2Faccount", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestAccountPage(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)

	if dash := b.get("/"); !strings.Contains(dash.Body, `<a href="/account">`) {
		t.Errorf("GET / lacks a link to /account for a signed-in user")
	}
	page := b.get("/account")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("GET /account = %d, want 200", page.StatusCode)
	}
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("GET /account Cache-Control = %q, want no-store", cc)
	}
	checkFormsHaveTokens(t, "/account", page.Body)
	for _, want := range []string{
		`action="/account/password"`,
		`name="current_password" id="current_password" autocomplete="current-password"`,
		`name="new_password" id="new_password" autocomplete="new-password"`,
		`<label for="current_password">`, `<label for="new_password">`, `<label for="delete_password">`,
		`action="/account/delete"`,
		`<th scope="col">IP address</th>`,
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("GET /account lacks %s", want)
		}
	}
	if strings.Contains(page.Body, `href="/admin/users"`) {
		t.Errorf("GET /account links a regular user to /admin/users")
	}
}

func TestChangePasswordRejections(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)

	tests := []struct {
		name, current, next, want string
	}{
		{"wrong current password", "not my password at all", newPassword, "Your current password is not correct."},
		{"no current password", "", newPassword, "Please enter your current password."},
		{"too short", alicePassword, "short pass", "Password must be at least 12 characters long."},
		{"contains the username", alicePassword, "alice and her long phrase", "Password must not contain your username."},
	}
	for _, tt := range tests {
		res := b.post("/account/password", url.Values{"current_password": {tt.current}, "new_password": {tt.next}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tt.want) {
			t.Errorf("%s: POST /account/password = %d, want 422 saying %q; body:\n%s", tt.name, res.StatusCode, tt.want, res.Body)
		}
		for _, secret := range []string{tt.current, tt.next} {
			if secret != "" && strings.Contains(res.Body, secret) {
				t.Errorf("%s: the 422 page echoes the password %q", tt.name, secret)
			}
		}
		if line := res.setCookieHeader("gatehouse_session"); line != "" {
			t.Errorf("%s: a refused change set a session cookie: %s", tt.name, line)
		}
	}
	if !loggedIn(t, b) {
		t.Errorf("refused changes logged the user out")
	}
	if res := srv.newBrowser().post("/login", url.Values{"username": {"alice"}, "password": {alicePassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the unchanged password = %d, want 303", res.StatusCode)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, true)
	other := srv.newBrowser()
	other.login("alice", alicePassword, false)
	oldToken := b.cookie("gatehouse_session").Value

	res := b.post("/account/password", url.Values{"current_password": {alicePassword}, "new_password": {newPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?notice=password-changed" {
		t.Fatalf("POST /account/password = %d to %q, want 303 to /account?notice=password-changed; body:\n%s",
			res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	c := res.setCookie(t, "gatehouse_session")
	if c == nil || c.Value == "" || c.Value == oldToken {
		t.Fatalf("password change session cookie = %v, want a new token", c)
	}
	checkCookieAttributes(t, c, false)
	if page := b.get(res.Header.Get("Location")); !strings.Contains(page.Body, "Your password has been changed.") {
		t.Errorf("account page after the change lacks the confirmation")
	}

	if !loggedIn(t, b) {
		t.Errorf("the browser that changed the password was logged out")
	}
	if loggedIn(t, other) {
		t.Errorf("another session of the account survived the password change")
	}
	replay := srv.newBrowser()
	replay.setCookie("gatehouse_session", oldToken)
	if loggedIn(t, replay) {
		t.Errorf("the token from before the change still opens the dashboard")
	}
	if res := loginAttempt(srv.newBrowser(), "alice", alicePassword); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("login with the old password = %d, want 401", res.StatusCode)
	}
	if res := loginAttempt(srv.newBrowser(), "alice", newPassword); res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new password = %d, want 303", res.StatusCode)
	}
}

// TestChangePasswordKeepsPersistence checks that the new session cookie
// follows the login's choice: Max-Age only for "remember me".
func TestChangePasswordKeepsPersistence(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	srv.newBrowser().signup("alice", alicePassword)
	tests := []struct {
		remember   bool
		wantMaxAge int
	}{
		{false, 0},
		{true, 30 * 24 * 60 * 60},
	}
	password := alicePassword
	for i, tt := range tests {
		b := srv.newBrowser()
		b.login("alice", password, tt.remember)
		next := fmt.Sprintf("%s number %d", newPassword, i)
		res := b.post("/account/password", url.Values{"current_password": {password}, "new_password": {next}})
		password = next
		c := res.setCookie(t, "gatehouse_session")
		if res.StatusCode != http.StatusSeeOther || c == nil {
			t.Fatalf("remember=%v: POST /account/password = %d, cookie %v; want 303 with a cookie", tt.remember, res.StatusCode, c)
		}
		if c.MaxAge != tt.wantMaxAge {
			t.Errorf("remember=%v: new session cookie Max-Age = %d, want %d", tt.remember, c.MaxAge, tt.wantMaxAge)
		}
	}
}

func TestDeleteAccount(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	other := srv.newBrowser()
	other.login("alice", alicePassword, true)

	wrong := b.post("/account/delete", url.Values{"password": {"not the password at all"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, "Your current password is not correct.") {
		t.Errorf("POST /account/delete with a wrong password = %d, want 422 saying so", wrong.StatusCode)
	}
	if strings.Contains(wrong.Body, "not the password at all") {
		t.Errorf("the 422 page echoes the password")
	}
	if !loggedIn(t, b) || !loggedIn(t, other) {
		t.Fatalf("a refused deletion ended a session")
	}

	res := b.post("/account/delete", url.Values{"password": {alicePassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=account-deleted" {
		t.Fatalf("POST /account/delete = %d to %q, want 303 to /login?notice=account-deleted", res.StatusCode, res.Header.Get("Location"))
	}
	for _, name := range []string{"gatehouse_session", "last_visit"} {
		if c := res.setCookie(t, name); c == nil || c.Value != "" || (c.MaxAge >= 0 && !c.Expires.Before(time.Now())) {
			t.Errorf("POST /account/delete cookie %s = %v, want it cleared", name, c)
		}
	}
	if page := b.get(res.Header.Get("Location")); !strings.Contains(page.Body, "Your account has been deleted.") {
		t.Errorf("login page after the deletion lacks the confirmation")
	}
	if loggedIn(t, other) {
		t.Errorf("another session of the deleted account still works")
	}
	if res := loginAttempt(srv.newBrowser(), "alice", alicePassword); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("login to the deleted account = %d, want 401", res.StatusCode)
	}
	srv.newBrowser().signup("alice", "a new owner of the old name") // the name is free again
}

func TestMustChangePassword(t *testing.T) {
	t.Parallel()
	var importer *usecase.Importer
	srv := startServer(t, withFx(fx.Populate(&importer)))
	res, err := importer.Import(context.Background(), "legacy", "hunter2")
	if err != nil || res.Outcome != usecase.ImportedWeak {
		t.Fatalf("Import(legacy, hunter2) = %v, %v; want ImportedWeak", res, err)
	}

	b := srv.newBrowser()
	login := b.post("/login", url.Values{"username": {"legacy"}, "password": {"hunter2"}, "next": {"/somewhere"}})
	if login.StatusCode != http.StatusSeeOther || login.Header.Get("Location") != "/account?notice=must-change-password" {
		t.Fatalf("login with a weak imported password = %d to %q, want 303 to /account?notice=must-change-password",
			login.StatusCode, login.Header.Get("Location"))
	}
	for _, path := range []string{"/", "/admin/users"} {
		res := b.get(path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account?notice=must-change-password" {
			t.Errorf("GET %s before the change = %d to %q, want 303 to the account page", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	page := b.get("/account")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Please choose a new password before you continue.") {
		t.Fatalf("GET /account = %d, want 200 asking for a new password", page.StatusCode)
	}

	res2 := b.post("/account/password", url.Values{"current_password": {"hunter2"}, "new_password": {"a strong replacement phrase"}})
	if res2.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/password = %d, want 303; body:\n%s", res2.StatusCode, res2.Body)
	}
	if !loggedIn(t, b) {
		t.Errorf("after the change GET / does not open the dashboard")
	}

	// Logging out still works for a user who has not changed it yet.
	again := srv.newBrowser()
	again.login("legacy", "a strong replacement phrase", false)
	if res := again.post("/logout", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=logged-out" {
		t.Errorf("POST /logout = %d to %q, want 303 to the login page", res.StatusCode, res.Header.Get("Location"))
	}
}
