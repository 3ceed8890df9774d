package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

const (
	alicePassword = "correct horse battery staple"
	bobPassword   = "purple monkey dishwasher"
	rootPassword  = "keeper of the keys since 2026"
)

// signUp fills in the signup form shown, with the keyboard alone, and
// sends it; it returns the status of the page that loads.
func (b *browser) signUp(username, password string) int64 {
	b.t.Helper()
	b.typeInto("#username", username)
	b.typeInto("#password", password)
	return b.pressAndLoad(kb.Enter)
}

// logIn fills in the login form shown with the keyboard alone, ticks
// "Remember me" if asked to (with the space bar), and presses the Log in
// button; it returns the status of the page that loads.
func (b *browser) logIn(username, password string, remember bool) int64 {
	b.t.Helper()
	b.typeInto("#username", username)
	b.typeInto("#password", password)
	if remember {
		b.tabTo("#remember")
		b.typeText(" ")
		if !eval[bool](b, `document.getElementById("remember").checked`) {
			b.t.Fatalf("the space bar did not tick Remember me")
		}
	}
	return b.activate(`main form[action="/login"] button[type="submit"]`)
}

// wantAt fails the test unless the browser shows path with status.
func (b *browser) wantAt(status, wantStatus int64, path string) {
	b.t.Helper()
	if got := b.location(); status != wantStatus || got != path {
		b.t.Fatalf("the browser shows %s (%d), want %s (%d); page text:\n%s", got, status, path, wantStatus, b.text("main"))
	}
}

// wantFieldError fails the test unless the field id is marked invalid
// and described by a message that says want.
func (b *browser) wantFieldError(id, errorID, want string) {
	b.t.Helper()
	if got := b.attr("#"+id, "aria-invalid"); got != "true" {
		b.t.Errorf("#%s aria-invalid = %q, want true", id, got)
	}
	if got := b.attr("#"+id, "aria-describedby"); !strings.Contains(" "+got+" ", " "+errorID+" ") {
		b.t.Errorf("#%s aria-describedby = %q, want it to name %s", id, got, errorID)
	}
	b.wantText("#"+errorID, want)
}

// TestRememberMeAcrossRestart is the main flow: sign up, log in with
// "Remember me", see the first visit and then the previous one, quit the
// browser and start it again on the same profile, still logged in; log
// out another session from the account page; log out.
func TestRememberMeAcrossRestart(t *testing.T) {
	s := startSite(t)
	profile := t.TempDir()
	b := s.launch(t, profile, desktop)

	b.wantAt(b.open("/"), http.StatusOK, "/login?next=%2F")
	b.checkPage("login", "")
	b.wantAt(b.activate(`header a[href="/signup"]`), http.StatusOK, "/signup")
	b.checkPage("signup", "")

	b.typeInto("#username", "alice")
	button := `main form button[type="submit"]`
	before := b.top(button)
	b.typeInto("#password", alicePassword)
	if after := b.top(button); after != before {
		t.Errorf("the password hint moved the Sign up button from %v px to %v px: a layout shift while typing", before, after)
	}
	for _, rule := range []string{"length", "repeat", "username"} {
		if got := b.attr(`li[data-rule="`+rule+`"]`, "data-state"); got != "met" {
			t.Errorf("password hint for %q: rule %s is %q, want met", alicePassword, rule, got)
		}
	}
	b.checkPage("signup-filled-in", "signup")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/login?notice=created")
	b.wantText(`[role="status"]`, "Account created, please log in.")
	b.checkPage("login-after-signup", "login")

	b.wantAt(b.logIn("alice", alicePassword, true), http.StatusOK, "/")
	b.wantText("h1", "Welcome, alice")
	b.wantText("main", "This is your first visit.")
	b.wantText("main", "You stay logged in on this device until")
	b.checkPage("dashboard-first-visit", "")
	b.wantAt(b.open("/"), http.StatusOK, "/")
	b.wantText("main", "Your last visit was")
	b.checkPage("dashboard", "dashboard")

	b.close()
	b = s.launch(t, profile, desktop)
	b.wantAt(b.open("/"), http.StatusOK, "/")
	b.wantText("h1", "Welcome, alice")
	b.wantText("main", "Your last visit was")

	other := b.otherDevice()
	other.wantAt(other.open("/login"), http.StatusOK, "/login")
	other.wantAt(other.logIn("alice", alicePassword, false), http.StatusOK, "/")

	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	if n := eval[int](b, `document.querySelectorAll("tr.session").length`); n != 2 {
		t.Fatalf("the account page lists %d sessions, want 2 (this browser and the other)", n)
	}
	b.checkPage("account", "account")
	b.wantAt(b.activate(`tr.session form[action$="/revoke"] button`), http.StatusOK, "/account?notice=session-revoked")
	b.wantText(`[role="status"]`, "The session has been logged out.")
	if n := eval[int](b, `document.querySelectorAll("tr.session").length`); n != 1 {
		t.Errorf("after logging out the other session the account page lists %d sessions, want 1", n)
	}
	b.checkPage("account-after-revoke", "")
	other.wantAt(other.open("/"), http.StatusOK, "/login?next=%2F")

	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	b.wantText(`[role="status"]`, "You have been logged out.")
	b.checkPage("login-after-logout", "")
	b.wantAt(b.open("/"), http.StatusOK, "/login?next=%2F")
}

// TestLoginWithoutRememberEndsWithBrowser: without "Remember me" the
// session cookie dies with the browser, so the restarted browser on the
// same profile is logged out. It runs at phone width.
func TestLoginWithoutRememberEndsWithBrowser(t *testing.T) {
	s := startSite(t)
	profile := t.TempDir()
	b := s.launch(t, profile, phone)

	// Without JavaScript the rules are listed unmarked and the form works.
	b.setScripts(false)
	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.wantText("#password-hint", "Not a common password (checked on submit)")
	b.typeInto("#username", "bob")
	b.typeInto("#password", bobPassword)
	if got := eval[int](b, `document.querySelectorAll("li[data-state]").length`); got != 0 {
		t.Errorf("with JavaScript off, %d password rules are marked, want none", got)
	}
	b.setScripts(true) // for axe; the page stays as it loaded, without the hint's script
	b.checkPage("signup-without-javascript", "")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/login?notice=created")

	b.wantAt(b.logIn("bob", bobPassword, false), http.StatusOK, "/")
	b.wantText("main", "You will be logged out when you close your browser")
	b.wantAt(b.open("/logout"), http.StatusOK, "/logout")
	b.checkPage("logout", "")

	b.close()
	b = s.launch(t, profile, phone)
	b.wantAt(b.open("/"), http.StatusOK, "/login?next=%2F")
	b.wantText("h1", "Log in")
}

// TestFormErrorsAsUsersSeeThem: a taken username, a weak password, a wrong
// password and an expired form, each as a keyboard user meets it: the
// message next to the field, the field marked invalid and focused.
func TestFormErrorsAsUsersSeeThem(t *testing.T) {
	s := startSite(t)
	b := s.launch(t, "", desktop)

	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.wantAt(b.signUp("carol", alicePassword), http.StatusOK, "/login?notice=created")

	// A taken name, in another case.
	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.wantAt(b.signUp("Carol", "another long passphrase"), http.StatusConflict, "/signup")
	b.wantFocus("#username", "the first field with an error")
	b.wantFieldError("username", "username-error", "That username is already taken.")
	if got := eval[string](b, `document.getElementById("username").value`); got != "Carol" {
		t.Errorf("after the refusal the username field holds %q, want Carol kept", got)
	}
	if got := eval[string](b, `document.getElementById("password").value`); got != "" {
		t.Errorf("after the refusal the password field holds %d characters, want it empty", len(got))
	}
	b.checkPage("signup-username-taken", "")

	// A weak password: the hint says so while typing, the server on submit.
	b.do("select the username", chromedp.KeyEvent("a", chromedp.KeyModifiers(kb.ModifierCtrl)))
	b.typeText("dave")
	b.typeInto("#password", "aaaaaaaaaaaa")
	if got := b.attr(`li[data-rule="repeat"]`, "data-state"); got != "unmet" {
		t.Errorf("password hint for one repeated character: data-state %q, want unmet", got)
	}
	if got := b.attr(`li[data-rule="length"]`, "data-state"); got != "met" {
		t.Errorf("password hint for 12 characters: length data-state %q, want met", got)
	}
	b.checkPage("signup-weak-password-typed", "")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusUnprocessableEntity, "/signup")
	b.wantFocus("#password", "the first field with an error")
	b.wantFieldError("password", "password-error", "Password must not be one character repeated.")
	b.checkPage("signup-weak-password", "")

	// A wrong password.
	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	b.wantAt(b.logIn("carol", "not the password at all", false), http.StatusUnauthorized, "/login")
	b.wantText(`[role="alert"]`, "Invalid username or password.")
	b.wantFocus("#username", "the first field of the refused login")
	b.wantFieldError("username", "page-alert", "Invalid username or password.")
	b.wantFieldError("password", "page-alert", "Invalid username or password.")
	b.checkPage("login-wrong-password", "")

	// An expired form: the browser lost the cookie its form is bound to.
	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.typeInto("#username", "erin")
	b.typeInto("#password", alicePassword)
	b.call("delete the visitor cookie", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, network.DeleteCookies, network.DeleteCookiesParams{Name: "gatehouse_visitor", URL: s.base + "/"})
		return err
	})
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusForbidden, "/signup")
	b.wantText("h1", "Form expired")
	b.wantText("main", "Reload the page and try again.")
	b.checkPage("form-expired", "")
	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.wantAt(b.signUp("erin", alicePassword), http.StatusOK, "/login?notice=created")

	b.wantAt(b.open("/no/such/page"), http.StatusNotFound, "/no/such/page")
	b.wantText("h1", "Page not found")
	b.checkPage("not-found", "")
}

// top is the distance in CSS pixels from the top of the page to the first
// element sel matches.
func (b *browser) top(sel string) float64 {
	b.t.Helper()
	return eval[float64](b, fmt.Sprintf(`document.querySelector(%q).getBoundingClientRect().top + scrollY`, sel))
}

// setScripts turns the page's JavaScript on or off, as a browser setting
// (or a blocker) would; the test's own evaluations still run.
func (b *browser) setScripts(on bool) {
	b.t.Helper()
	b.call("turn scripts on or off", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// otherDevice opens a tab in a new browser context of b's browser: a
// second device with cookies of its own, for a second session.
func (b *browser) otherDevice() *browser {
	b.t.Helper()
	o := &browser{t: b.t, site: b.site, view: b.view}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	o.ctx, o.stop = ctx, cancel
	b.t.Cleanup(o.close)
	// The first run opens the tab and binds it to the context it gets:
	// o.ctx, not a step's.
	if err := chromedp.Do(o.ctx); err != nil {
		b.t.Fatalf("open a tab in a new browser context: %v", err)
	}
	o.call("say it is an iPhone", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: iPhoneSafari})
		return err
	})
	return o
}

// TestAdminAndAccountPages visits the pages of an admin and the account
// page's own errors with the keyboard: the list of users, a search, an
// action, a refused password change, and the 403 a regular user gets.
func TestAdminAndAccountPages(t *testing.T) {
	var admin *usecase.Admin
	s := startSite(t, fx.Populate(&admin))
	for _, u := range []struct {
		name, password string
		role           domain.Role
	}{{"root", rootPassword, domain.RoleAdmin}, {"frank", bobPassword, domain.RoleUser}, {"grace", alicePassword, domain.RoleUser}} {
		if _, err := admin.Create(context.Background(), usecase.Operator, u.name, u.password, u.role, usecase.Client{}); err != nil {
			t.Fatalf("Admin.Create(%s) error = %v", u.name, err)
		}
	}
	b := s.launch(t, "", desktop)

	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	b.wantAt(b.logIn("root", rootPassword, false), http.StatusOK, "/")
	b.wantAt(b.activate(`header a[href="/admin/users"]`), http.StatusOK, "/admin/users")
	b.checkPage("admin-users", "")
	b.typeInto("#q", "fra")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/admin/users?q=fra")
	b.wantText("main", "1 account matches “fra”.")
	b.wantAt(b.activate(`form[action$="/disable"] button`), http.StatusOK, "/admin/users?notice=user-disabled&q=fra")
	b.wantText(`[role="status"]`, "The account has been disabled")
	b.checkPage("admin-user-disabled", "")

	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.typeInto("#current_password", "not my password at all")
	b.typeInto("#new_password", "the new root of my passwords")
	if got := b.attr(`li[data-rule="username"]`, "data-state"); got != "unmet" {
		t.Errorf("password hint for a new password with the username in it: data-state %q, want unmet", got)
	}
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusUnprocessableEntity, "/account/password")
	b.wantFocus("#current_password", "the first field with an error")
	b.wantFieldError("current_password", "current_password-error", "Your current password is not correct.")
	b.checkPage("account-wrong-password", "")

	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	b.wantAt(b.logIn("frank", bobPassword, false), http.StatusForbidden, "/login")
	b.wantText(`[role="alert"]`, "This account has been disabled.")
	b.checkPage("login-account-disabled", "")

	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	b.wantAt(b.logIn("grace", alicePassword, false), http.StatusOK, "/")
	b.wantAt(b.open("/admin/users"), http.StatusForbidden, "/admin/users")
	b.wantText("h1", "Access denied")
	b.checkPage("access-denied", "")
}
