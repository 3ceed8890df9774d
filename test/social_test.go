package test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/idptest"
	"github.com/gatehouse/gatehouse/usecase"
)

// The people at the providers of these tests.
var (
	opAda  = idptest.User{ID: "sub-ada", Username: "ada", Password: "op-password", Email: "ada@example.com", EmailVerified: true, First: "Ada", Last: "L"}
	opGus  = idptest.User{ID: "sub-gus", Username: "gus", Password: "op-password", Email: "gus@example.com", EmailVerified: false}
	ghOcto = idptest.GitHubUser{ID: 583231, Login: "octocat", Name: "The Octocat", Emails: []idptest.GitHubEmail{
		{Email: "octo@example.com", Primary: true, Verified: true}, {Email: "other@example.com", Verified: true},
	}}
)

// socialRig is gatehouse with two providers: "test", a real OpenID
// provider (zitadel's OP on loopback), and "github", the GitHub stand-in.
type socialRig struct {
	srv    *testServer
	op     *idptest.OP
	gh     *idptest.GitHub
	emails usecase.EmailStore
	users  usecase.AccountStore
	events usecase.EventLog
}

// freeAddr returns a loopback address free a moment ago: PUBLIC_URL, and
// so the redirect URIs the providers know, must name the port before the
// server starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func startSocial(t *testing.T, opts ...option) *socialRig {
	t.Helper()
	r := &socialRig{op: idptest.StartOP(t, opAda, opGus), gh: idptest.StartGitHub(t, "gh-client", "gh-secret", ghOcto)}
	addr := freeAddr(t)
	r.op.AddClient("gatehouse", "op-secret", "http://"+addr+"/auth/test/callback")
	opts = append([]option{
		withConfig(func(c *config.Config) {
			c.Addr, c.PublicURL = addr, "http://"+addr
			c.IdentityProviders = []config.IdentityProvider{
				{Name: "test", Label: "Test ID", ClientID: "gatehouse", ClientSecret: "op-secret", Issuer: r.op.URL, Audiences: []string{"mobile-app"}},
				{Name: "github", GitHub: true, Label: "GitHub", ClientID: "gh-client", ClientSecret: "gh-secret", BaseURL: r.gh.URL, APIURL: r.gh.APIURL()},
			}
		}),
		withFx(fx.Populate(&r.emails, &r.users, &r.events)),
	}, opts...)
	r.srv = startServer(t, opts...)
	return r
}

// begin follows "Continue with" for provider and returns the provider's
// address it leads to.
func (r *socialRig) begin(t *testing.T, b *browser, path string) string {
	t.Helper()
	res := b.get(path)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s = %d, want 303 to the provider; body:\n%s", path, res.StatusCode, res.Body)
	}
	if line := res.setCookieHeader("gatehouse_oauth_state"); !strings.Contains(line, "HttpOnly") || !strings.Contains(line, "max-age=600") || !strings.Contains(strings.ToLower(line), "samesite=lax") {
		t.Errorf("state cookie = %q, want HttpOnly, SameSite=Lax, Max-Age=600", line)
	}
	return res.Header.Get("Location")
}

// back is the browser arriving at gatehouse's callback from the provider.
func back(t *testing.T, b *browser, callback string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, callback, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(req)
}

// opLogin runs a whole login at the OpenID provider as u, returning
// gatehouse's answer at the callback.
func (r *socialRig) opLogin(t *testing.T, b *browser, u idptest.User, next string) response {
	t.Helper()
	path := "/auth/test"
	if next != "" {
		path += "?next=" + url.QueryEscape(next)
	}
	authURL := r.begin(t, b, path)
	q, _ := url.Parse(authURL)
	if !strings.HasPrefix(authURL, r.op.URL+"/auth?") || q.Query().Get("code_challenge_method") != "S256" || len(q.Query().Get("state")) < 22 || q.Query().Get("nonce") == "" {
		t.Fatalf("GET %s went to %s, want the provider's authorization endpoint with state, nonce and an S256 challenge", path, authURL)
	}
	return back(t, b, r.op.SignIn(t, b.client, authURL, u.Username, u.Password))
}

func wantRedirect(t *testing.T, what string, res response, status int, location string) {
	t.Helper()
	if res.StatusCode != status || res.Header.Get("Location") != location {
		t.Fatalf("%s = %d to %q, want %d to %q; body:\n%s", what, res.StatusCode, res.Header.Get("Location"), status, location, res.Body)
	}
}

func (r *socialRig) user(t *testing.T, name string) (domain.User, error) {
	t.Helper()
	n, err := domain.NewUsername(name)
	if err != nil {
		t.Fatal(err)
	}
	return r.users.ByUsername(context.Background(), n)
}

// TestSocialSignupChoosingAUsername: an unknown identity whose address no
// account has gets "Choose your username", prefilled from the provider;
// the username rules apply; the account made has no password (no
// password, not even an empty one, logs it in), the provider's verified
// address as its own, the identity linked, and is logged in. The next
// login with the provider goes straight in.
func TestSocialSignupChoosingAUsername(t *testing.T) {
	t.Parallel()
	r := startSocial(t)
	login := r.srv.newBrowser().get("/login")
	if !strings.Contains(login.Body, `href="/auth/test"`) || !strings.Contains(login.Body, "Continue with Test ID") || !strings.Contains(login.Body, "Continue with GitHub") {
		t.Fatalf("GET /login has no provider links; body:\n%s", login.Body)
	}
	if next := r.srv.newBrowser().get("/login?next=%2Faccount"); !strings.Contains(next.Body, `href="/auth/test?next=%2faccount"`) {
		t.Errorf("GET /login?next=/account: the provider link does not carry next")
	}
	b := r.srv.newBrowser()
	res := r.opLogin(t, b, opAda, "/account")
	wantRedirect(t, "callback (unknown identity)", res, http.StatusSeeOther, "/auth/continue")
	page := b.get("/auth/continue")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Choose your username") || !strings.Contains(page.Body, `value="ada"`) {
		t.Fatalf("GET /auth/continue = %d, want the username form prefilled with ada; body:\n%s", page.StatusCode, page.Body)
	}
	checkFormsHaveTokens(t, "/auth/continue", page.Body)
	if u, err := r.user(t, "ada"); err == nil {
		t.Fatalf("an account %+v exists before the username was chosen", u)
	}
	bad := b.post("/auth/continue/signup", url.Values{"username": {"a"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="username-error"`) {
		t.Errorf("POST /auth/continue/signup (too short) = %d, want 422 with the field's message", bad.StatusCode)
	}
	other := r.srv.newBrowser()
	other.signup("alice", alicePassword)
	taken := b.post("/auth/continue/signup", url.Values{"username": {"ALICE"}})
	if taken.StatusCode != http.StatusConflict || !strings.Contains(taken.Body, "already taken") {
		t.Errorf("POST /auth/continue/signup (taken) = %d, want 409 saying so", taken.StatusCode)
	}
	ok := b.post("/auth/continue/signup", url.Values{"username": {"ada_l"}})
	wantRedirect(t, "POST /auth/continue/signup", ok, http.StatusSeeOther, "/account")
	account := b.get("/account")
	for _, want := range []string{"Sign-in methods", "Test ID", "as ada", "Set a password", "ada@example.com", "Signed in with test", "Connected test"} {
		if !strings.Contains(account.Body, want) {
			t.Errorf("GET /account after the signup does not say %q", want)
		}
	}
	u, err := r.user(t, "ada_l")
	if err != nil || u.HasPassword() || u.Email.String() != "ada@example.com" {
		t.Fatalf("account ada_l = %+v, %v, want one without a password, with the verified address", u, err)
	}
	events, _ := r.events.ListByUser(context.Background(), u.ID, nil, 10)
	if !hasEvent(events, domain.EventSignup, "test") || !hasEvent(events, domain.EventIdentityLinked, "test") || !hasEvent(events, domain.EventSocialLogin, "test") {
		t.Errorf("events of ada_l = %+v, want signup, identity_linked and social_login naming the provider", events)
	}
	// The pending identity was used up.
	if again := b.post("/auth/continue/signup", url.Values{"username": {"ada2"}}); again.StatusCode != http.StatusBadRequest {
		t.Errorf("POST /auth/continue/signup again = %d, want 400", again.StatusCode)
	}
	// No password opens an account that has none.
	for _, pw := range []string{"x", alicePassword, " "} {
		if res := r.srv.newBrowser().post("/login", url.Values{"username": {"ada_l"}, "password": {pw}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("POST /login ada_l with %q = %d, want 401", pw, res.StatusCode)
		}
	}
	// The next login with the provider goes straight in.
	c := r.srv.newBrowser()
	wantRedirect(t, "callback (known identity)", r.opLogin(t, c, opAda, "/account"), http.StatusSeeOther, "/account")
	if res := c.get("/"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "ada_l") {
		t.Errorf("GET / after the second login = %d, want ada_l's dashboard", res.StatusCode)
	}
}

func hasEvent(list []domain.SecurityEvent, kind domain.EventKind, detail string) bool {
	for _, e := range list {
		if e.Kind == kind && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

// TestSocialUnverifiedAddressIsNotKept: an address the provider does not
// call verified is neither kept nor matched against other accounts.
func TestSocialUnverifiedAddressIsNotKept(t *testing.T) {
	t.Parallel()
	r := startSocial(t)
	owner := r.srv.newBrowser()
	owner.signup("gustav", alicePassword)
	g, _ := r.user(t, "gustav")
	if err := r.emails.SetEmail(context.Background(), g.ID, mustEmail(t, "gus@example.com"), nil); err != nil {
		t.Fatal(err)
	}
	b := r.srv.newBrowser()
	wantRedirect(t, "callback (gus)", r.opLogin(t, b, opGus, ""), http.StatusSeeOther, "/auth/continue")
	if page := b.get("/auth/continue"); !strings.Contains(page.Body, "Choose your username") {
		t.Fatalf("GET /auth/continue for an unverified address that an account has: want the username form (no match on an unverified address); body:\n%s", page.Body)
	}
	wantRedirect(t, "signup", b.post("/auth/continue/signup", url.Values{"username": {"gus"}}), http.StatusSeeOther, "/")
	if u, err := r.user(t, "gus"); err != nil || !u.Email.IsZero() {
		t.Errorf("account gus = %+v, %v, want no address", u, err)
	}
}

func mustEmail(t *testing.T, raw string) domain.EmailAddress {
	t.Helper()
	a, err := domain.NewEmailAddress(raw)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSocialLinkByPassword: an unknown identity whose verified address
// belongs to an account links nothing and says so; a wrong password
// links nothing; the right one logs in and links the identity, after
// which the provider logs that account in.
func TestSocialLinkByPassword(t *testing.T) {
	t.Parallel()
	r := startSocial(t)
	alice := r.srv.newBrowser()
	alice.signup("alice", alicePassword)
	a, _ := r.user(t, "alice")
	if err := r.emails.SetEmail(context.Background(), a.ID, mustEmail(t, "Ada@Example.com"), nil); err != nil {
		t.Fatal(err)
	}
	b := r.srv.newBrowser()
	wantRedirect(t, "callback", r.opLogin(t, b, opAda, ""), http.StatusSeeOther, "/auth/continue")
	page := b.get("/auth/continue")
	if !strings.Contains(page.Body, "already uses the address") || !strings.Contains(page.Body, "Nothing has been linked") || strings.Contains(page.Body, "Choose your username") {
		t.Fatalf("GET /auth/continue = %d, want the password login that links; body:\n%s", page.StatusCode, page.Body)
	}
	// Nothing is linked yet: a second provider login lands here again.
	c := r.srv.newBrowser()
	wantRedirect(t, "second callback before linking", r.opLogin(t, c, opAda, ""), http.StatusSeeOther, "/auth/continue")
	wrong := b.post("/auth/continue/link", url.Values{"username": {"alice"}, "password": {"not-the-password"}})
	if wrong.StatusCode != http.StatusUnauthorized || !strings.Contains(wrong.Body, "Invalid username or password.") {
		t.Errorf("POST /auth/continue/link (wrong password) = %d, want 401 with the generic message", wrong.StatusCode)
	}
	wantRedirect(t, "POST /auth/continue/link", b.post("/auth/continue/link", url.Values{"username": {"alice"}, "password": {alicePassword}}),
		http.StatusSeeOther, "/account?notice=identity-connected")
	if account := b.get("/account"); !strings.Contains(account.Body, "as ada") || !strings.Contains(account.Body, "Change password") {
		t.Errorf("GET /account after linking does not list the identity")
	}
	d := r.srv.newBrowser()
	wantRedirect(t, "callback after linking", r.opLogin(t, d, opAda, "/account"), http.StatusSeeOther, "/account")
	if res := d.get("/"); !strings.Contains(res.Body, "alice") {
		t.Errorf("the provider login after linking is not alice's")
	}
}

// TestSocialFailures: the provider's access_denied, a state that is not
// this browser's, one used already, one expired, a callback without a
// cookie, and an unknown provider each give a clear 4xx page, set no
// session, create nothing, and (but the last) are recorded.
func TestSocialFailures(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	r := startSocial(t, withClock(clock))
	stateOf := func(authURL string) string {
		u, _ := url.Parse(authURL)
		return u.Query().Get("state")
	}
	callback := r.srv.base + "/auth/test/callback?"
	tests := []struct {
		name string
		run  func(t *testing.T, b *browser) response
	}{
		{"access_denied", func(t *testing.T, b *browser) response {
			st := stateOf(r.begin(t, b, "/auth/test"))
			return back(t, b, callback+url.Values{"error": {"access_denied"}, "state": {st}}.Encode())
		}},
		{"wrong state", func(t *testing.T, b *browser) response {
			authURL := r.begin(t, b, "/auth/test")
			cb, _ := url.Parse(r.op.SignIn(t, b.client, authURL, opAda.Username, opAda.Password))
			q := cb.Query()
			q.Set("state", strings.Repeat("A", 43))
			return back(t, b, callback+q.Encode())
		}},
		{"no state cookie (another browser)", func(t *testing.T, b *browser) response {
			authURL := r.begin(t, b, "/auth/test")
			cb := r.op.SignIn(t, b.client, authURL, opAda.Username, opAda.Password)
			return back(t, r.srv.newBrowser(), cb)
		}},
		{"reused state", func(t *testing.T, b *browser) response {
			authURL := r.begin(t, b, "/auth/test")
			cookie := b.cookie("gatehouse_oauth_state").Value
			cb := r.op.SignIn(t, b.client, authURL, opAda.Username, opAda.Password)
			if first := back(t, b, cb); first.StatusCode != http.StatusSeeOther {
				t.Fatalf("first callback = %d, want 303", first.StatusCode)
			}
			replay := r.srv.newBrowser()
			replay.setCookie("gatehouse_oauth_state", cookie)
			return back(t, replay, cb)
		}},
		{"expired state", func(t *testing.T, b *browser) response {
			authURL := r.begin(t, b, "/auth/test")
			cb := r.op.SignIn(t, b.client, authURL, opAda.Username, opAda.Password)
			clock.Advance(usecase.SocialStateLifetime + time.Second)
			return back(t, b, cb)
		}},
		{"state of another provider", func(t *testing.T, b *browser) response {
			st := stateOf(r.begin(t, b, "/auth/github"))
			return back(t, b, callback+url.Values{"code": {"x"}, "state": {st}}.Encode())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := r.srv.newBrowser()
			res := tt.run(t, b)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "Sign-in failed") || !strings.Contains(res.Body, "Nothing was changed") {
				t.Errorf("callback (%s) = %d, want 400 \"Sign-in failed\"; body:\n%s", tt.name, res.StatusCode, res.Body)
			}
			if line := res.setCookieHeader("gatehouse_session"); line != "" {
				t.Errorf("callback (%s) set a session: %s", tt.name, line)
			}
			if res.setCookieHeader("gatehouse_social") != "" {
				t.Errorf("callback (%s) started a pending identity", tt.name)
			}
		})
	}
	if _, err := r.user(t, "ada"); err == nil {
		t.Errorf("an account ada exists after only failed logins")
	}
	// A connect the provider denied is recorded in the account's history.
	b := r.srv.newBrowser()
	b.signup("carol", alicePassword)
	b.login("carol", alicePassword, false)
	st := stateOf(r.begin(t, b, "/account/identities/test/connect"))
	if res := back(t, b, callback+url.Values{"error": {"access_denied"}, "state": {st}}.Encode()); res.StatusCode != http.StatusBadRequest {
		t.Errorf("denied connect = %d, want 400", res.StatusCode)
	}
	carol, _ := r.user(t, "carol")
	failures, _ := r.events.ListByUser(context.Background(), carol.ID, []domain.EventKind{domain.EventSocialLoginFailure}, 10)
	if len(failures) != 1 || failures[0].Detail != "test: denied" {
		t.Errorf("carol's social_login_failure events = %+v, want one \"test: denied\"", failures)
	}
	if list, _ := r.events.ListByUser(context.Background(), carol.ID, []domain.EventKind{domain.EventIdentityLinked}, 10); len(list) != 0 {
		t.Errorf("a denied connect linked something: %+v", list)
	}
	if res := r.srv.newBrowser().get("/auth/nosuch"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /auth/nosuch = %d, want 404", res.StatusCode)
	}
}

// TestSocialGitHub: through the GitHub stand-in (OIDC_GITHUB_BASE_URL and
// _API_URL), the account made keeps the primary verified address and
// the identity is keyed by GitHub's numeric id.
func TestSocialGitHub(t *testing.T) {
	t.Parallel()
	r := startSocial(t)
	b := r.srv.newBrowser()
	authURL := r.begin(t, b, "/auth/github")
	q, _ := url.Parse(authURL)
	if !strings.HasPrefix(authURL, r.gh.URL+"/login/oauth/authorize?") || q.Query().Get("code_challenge_method") != "S256" ||
		q.Query().Get("redirect_uri") != r.srv.cfg.PublicURL+"/auth/github/callback" {
		t.Fatalf("GET /auth/github went to %s", authURL)
	}
	wantRedirect(t, "callback", back(t, b, r.gh.Authorize(t, b.client, authURL, "octocat")), http.StatusSeeOther, "/auth/continue")
	if page := b.get("/auth/continue"); !strings.Contains(page.Body, `value="octocat"`) {
		t.Errorf("GET /auth/continue not prefilled with the GitHub login")
	}
	wantRedirect(t, "signup", b.post("/auth/continue/signup", url.Values{"username": {"octocat"}}), http.StatusSeeOther, "/")
	u, err := r.user(t, "octocat")
	if err != nil || u.Email.String() != "octo@example.com" {
		t.Fatalf("account octocat = %+v, %v, want the primary verified address", u, err)
	}
}

// TestSocialConnectAndDisconnect: from the account page a recent login
// connects a provider at once, an older one after the password; an
// identity linked elsewhere is refused; disconnect works while another
// way to sign in remains and is refused for the last one.
func TestSocialConnectAndDisconnect(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	r := startSocial(t, withClock(clock))
	b := r.srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	account := b.get("/account")
	if !strings.Contains(account.Body, `href="/account/identities/test/connect"`) {
		t.Fatalf("GET /account has no Connect link; body:\n%s", account.Body)
	}
	authURL := r.begin(t, b, "/account/identities/test/connect")
	wantRedirect(t, "connect callback", back(t, b, r.op.SignIn(t, b.client, authURL, opGus.Username, opGus.Password)),
		http.StatusSeeOther, "/account?notice=identity-connected")
	if page := b.get("/account"); !strings.Contains(page.Body, "Test ID</strong> as gus") {
		t.Errorf("GET /account does not list the connected identity")
	}
	// Connecting it again, or from another account, is refused.
	other := r.srv.newBrowser()
	other.signup("bob", alicePassword)
	other.login("bob", alicePassword, false)
	authURL = r.begin(t, other, "/account/identities/test/connect")
	if res := back(t, other, r.op.SignIn(t, other.client, authURL, opGus.Username, opGus.Password)); res.StatusCode != http.StatusConflict {
		t.Errorf("connecting alice's identity to bob = %d, want 409", res.StatusCode)
	}
	// Twenty minutes later, the password is asked for first.
	clock.Advance(20 * time.Minute)
	if res := other.get("/account/identities/test/connect"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "confirm your password") {
		t.Errorf("GET connect after 20 minutes = %d, want 200 asking for the password", res.StatusCode)
	}
	if res := other.post("/account/identities/test/connect", url.Values{"current_password": {"wrong-password"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST connect (wrong password) = %d, want 422", res.StatusCode)
	}
	ok := other.post("/account/identities/test/connect", url.Values{"current_password": {alicePassword}})
	if ok.StatusCode != http.StatusOK || !strings.Contains(ok.Body, `href="`+r.op.URL+`/auth?`) {
		t.Errorf("POST connect (right password) = %d, want the link to the provider", ok.StatusCode)
	}
	wantRedirect(t, "disconnect", b.post("/account/identities/test/disconnect", nil), http.StatusSeeOther, "/account?notice=identity-disconnected")
	if res := b.post("/account/identities/test/disconnect", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("disconnect again = %d, want 404", res.StatusCode)
	}
	// An account without a password cannot lose its only way in.
	c := r.srv.newBrowser()
	r.opLogin(t, c, opAda, "")
	wantRedirect(t, "signup", c.post("/auth/continue/signup", url.Values{"username": {"ada"}}), http.StatusSeeOther, "/")
	last := c.post("/account/identities/test/disconnect", nil)
	if last.StatusCode != http.StatusConflict || !strings.Contains(last.Body, "only way to sign in") {
		t.Errorf("disconnect the last way in = %d, want 409 saying so", last.StatusCode)
	}
	// It can set a password while its login is recent, and then
	// disconnect.
	if res := c.post("/account/password", url.Values{"new_password": {"a-new-long-passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/password (set one) = %d, want 303; body:\n%s", res.StatusCode, res.Body)
	}
	wantRedirect(t, "disconnect with a password", c.post("/account/identities/test/disconnect", nil), http.StatusSeeOther, "/account?notice=identity-disconnected")
	r.srv.newBrowser().login("ada", "a-new-long-passphrase", false)
}

// TestSocialPasswordlessNeedsRecentLogin: an account without a password
// confirms what asks for the current password with a recent login:
// after 15 minutes it is told to sign in again.
func TestSocialPasswordlessNeedsRecentLogin(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	r := startSocial(t, withClock(clock))
	b := r.srv.newBrowser()
	r.opLogin(t, b, opAda, "")
	wantRedirect(t, "signup", b.post("/auth/continue/signup", url.Values{"username": {"ada"}}), http.StatusSeeOther, "/")
	clock.Advance(20 * time.Minute)
	res := b.post("/account/password", url.Values{"new_password": {"a-new-long-passphrase"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "sign in again with your provider") {
		t.Errorf("POST /account/password 20 minutes after the login = %d, want 422 asking for a new sign-in; body:\n%s", res.StatusCode, res.Body)
	}
	if res := b.post("/account/delete", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST /account/delete 20 minutes after the login = %d, want 422", res.StatusCode)
	}
	if u, err := r.user(t, "ada"); err != nil || u.HasPassword() {
		t.Errorf("ada after the refusals = %+v, %v, want still there, without a password", u, err)
	}
}

// TestSocialLoginWithSecondFactor: a provider login of an account with
// 2FA on opens the same challenge as a password login.
func TestSocialLoginWithSecondFactor(t *testing.T) {
	t.Parallel()
	r := startSocial(t)
	b := r.srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	authURL := r.begin(t, b, "/account/identities/test/connect")
	back(t, b, r.op.SignIn(t, b.client, authURL, opAda.Username, opAda.Password))
	secret := enrollOverHTTP(t, b)
	c := r.srv.newBrowser()
	res := r.opLogin(t, c, opAda, "/account")
	wantRedirect(t, "callback with 2FA on", res, http.StatusSeeOther, "/login/2fa?next=%2Faccount")
	if res.setCookieHeader("gatehouse_session") != "" {
		t.Errorf("the provider login set a session before the second factor")
	}
	ok := c.post("/login/2fa", url.Values{"code": {codeAt(t, secret, time.Now().Add(30*time.Second))}, "next": {"/account"}})
	wantRedirect(t, "POST /login/2fa", ok, http.StatusSeeOther, "/account")
}

// TestSocialDisabledAccount: a provider login of a disabled account is
// refused like a password login.
func TestSocialDisabledAccount(t *testing.T) {
	t.Parallel()
	var dir usecase.UserDirectory
	r := startSocial(t, withFx(fx.Populate(&dir)))
	b := r.srv.newBrowser()
	r.opLogin(t, b, opAda, "")
	wantRedirect(t, "signup", b.post("/auth/continue/signup", url.Values{"username": {"ada"}}), http.StatusSeeOther, "/")
	u, _ := r.user(t, "ada")
	if err := dir.SetDisabled(context.Background(), u.ID, true); err != nil {
		t.Fatal(err)
	}
	if res := r.opLogin(t, r.srv.newBrowser(), opAda, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("provider login of a disabled account = %d, want 403", res.StatusCode)
	}
}
