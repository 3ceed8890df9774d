package e2e

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/idptest"
	"github.com/gatehouse/gatehouse/test/testserver"
)

// startSiteWithProviders boots gatehouse with two providers on loopback:
// "test", a real OpenID provider (zitadel's OP with its own login page),
// and "github", the GitHub stand-in with its authorize page.
func startSiteWithProviders(t *testing.T, op *idptest.OP, gh *idptest.GitHub) *site {
	t.Helper()
	s := loadSuite(t, requireChromium(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := testserver.Config(t)
	cfg.Addr, cfg.PublicURL = addr, "http://"+addr
	cfg.IdentityProviders = []config.IdentityProvider{
		{Name: "test", Label: "Test ID", ClientID: "gatehouse", ClientSecret: "op-secret", Issuer: op.URL},
		{Name: "github", GitHub: true, Label: "GitHub", ClientID: "gh-client", ClientSecret: "gh-secret", BaseURL: gh.URL, APIURL: gh.APIURL()},
	}
	op.AddClient("gatehouse", "op-secret", cfg.PublicURL+"/auth/test/callback")
	logs := &testserver.Buffer{}
	testserver.Start(t, cfg, logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return &site{t: t, suite: s, base: cfg.PublicURL}
}

// TestSocialLoginInTheBrowser: "Continue with Test ID" on the login page
// leads to the provider's own login page and, after the login there, back
// to "Choose your username" and then the dashboard; on the account page
// the provider cannot be disconnected while it is the only way in, GitHub
// is connected through its authorize page and disconnected again. Every
// page of ours passes the checks, axe included.
func TestSocialLoginInTheBrowser(t *testing.T) {
	op := idptest.StartOP(t, idptest.User{ID: "sub-ada", Username: "ada", Password: "op-password", Email: "ada@example.com", EmailVerified: true, First: "Ada", Last: "L"})
	gh := idptest.StartGitHub(t, "gh-client", "gh-secret", idptest.GitHubUser{ID: 42, Login: "ada-gh", Emails: []idptest.GitHubEmail{{Email: "ada@example.com", Primary: true, Verified: true}}})
	s := startSiteWithProviders(t, op, gh)
	b := s.launch(t, "", desktop)

	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	b.wantText(`main a[href="/auth/test"]`, "Continue with Test ID")
	b.checkPage("login-with-providers", "")
	b.activate(`main a[href="/auth/test"]`)
	if loc := eval[string](b, `location.origin + location.pathname`); loc != op.URL+"/login/username" {
		t.Fatalf("Continue with Test ID led to %s, want the provider's login page", loc)
	}
	b.takeProblems() // the provider's page is not ours to judge
	b.typeInto("#username", "ada")
	b.typeInto("#password", "op-password")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/auth/continue")
	b.wantText("main h1", "Choose your username")
	if v := eval[string](b, `document.getElementById("username").value`); v != "ada" {
		t.Errorf("the username field holds %q, want the provider's preferred name ada", v)
	}
	b.checkPage("social-choose-username", "")
	b.wantAt(b.activate(`main form[action="/auth/continue/signup"] button[type="submit"]`), http.StatusOK, "/")
	b.wantText("main", "Welcome, ada")

	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.wantText("#methods-heading", "Sign-in methods")
	b.wantText("main", "Test ID as ada")
	b.checkPage("account-sign-in-methods", "")
	b.wantAt(b.activate(`main form[action="/account/identities/test/disconnect"] button`), http.StatusConflict, "/account/identities/test/disconnect")
	b.wantText(`[role="alert"]`, "only way to sign in")
	b.checkPage("account-last-sign-in-method", "")

	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.activate(`main a[href="/account/identities/github/connect"]`)
	if loc := eval[string](b, `location.origin + location.pathname`); loc != gh.URL+"/login/oauth/authorize" {
		t.Fatalf("Connect GitHub led to %s, want the GitHub stand-in's authorize page", loc)
	}
	b.takeProblems()
	b.typeInto("#login", "ada-gh")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/account?notice=identity-connected")
	b.wantText(`[role="status"]`, "connected")
	if !strings.Contains(b.text("main"), "GitHub as ada-gh") {
		t.Errorf("the account page does not list GitHub after connecting it")
	}
	b.checkPage("account-two-providers", "")
	b.wantAt(b.activate(`main form[action="/account/identities/github/disconnect"] button`), http.StatusOK, "/account?notice=identity-disconnected")
	if strings.Contains(b.text("main"), "GitHub as ada-gh") {
		t.Errorf("the account page still lists GitHub after disconnecting it")
	}
}
