package e2e

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gatehouse/gatehouse/adapter/totp"
	"github.com/gatehouse/gatehouse/test/testserver"
)

// startPasskeySite boots gatehouse for passkeys: on http://localhost:PORT,
// since a WebAuthn RP ID cannot be an IP address, with PUBLIC_URL, the RP
// ID and the origin set to it. The server still listens on loopback only.
func startPasskeySite(t *testing.T) *site {
	t.Helper()
	s := loadSuite(t, requireChromium(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := testserver.Config(t)
	cfg.Addr = "127.0.0.1:" + strconv.Itoa(port)
	cfg.PublicURL = "http://localhost:" + strconv.Itoa(port)
	cfg.WebAuthnRPID, cfg.WebAuthnOrigins = "localhost", []string{cfg.PublicURL}
	logs := &testserver.Buffer{}
	testserver.Start(t, cfg, logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return &site{t: t, suite: s, base: cfg.PublicURL}
}

// addAuthenticator gives the tab a DevTools virtual authenticator: a
// platform authenticator with resident keys and user verification, whose
// user presence checks pass at once, and returns its id.
func (b *browser) addAuthenticator() webauthn.AuthenticatorID {
	b.t.Helper()
	var id webauthn.AuthenticatorID
	b.call("add a virtual authenticator", func(ctx context.Context) error {
		if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		res, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{
				Protocol:                    webauthn.AuthenticatorProtocolCtap2,
				Ctap2version:                webauthn.Ctap2versionCtap21,
				Transport:                   webauthn.AuthenticatorTransportInternal,
				HasResidentKey:              true,
				HasUserVerification:         true,
				IsUserVerified:              true,
				AutomaticPresenceSimulation: true,
			},
		})
		id = res.AuthenticatorID
		return err
	})
	return id
}

// credentials returns the authenticator's credentials.
func (b *browser) credentials(id webauthn.AuthenticatorID) []*webauthn.Credential {
	b.t.Helper()
	var list []*webauthn.Credential
	b.call("list the authenticator's credentials", func(ctx context.Context) error {
		res, err := chromedp.Call(ctx, webauthn.GetCredentials, webauthn.GetCredentialsParams{AuthenticatorID: id})
		list = res.Credentials
		return err
	})
	return list
}

// withoutAutofill makes the next documents of the tab those of a browser
// without passkey autofill (no conditional mediation), and returns the
// script's id for allowAutofill.
func (b *browser) withoutAutofill() page.ScriptIdentifier {
	b.t.Helper()
	var id page.ScriptIdentifier
	b.call("turn passkey autofill off", func(ctx context.Context) error {
		res, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
			Source: `if (window.PublicKeyCredential) { PublicKeyCredential.isConditionalMediationAvailable = function () { return Promise.resolve(false); }; }`,
		})
		id = res.Identifier
		return err
	})
	return id
}

// allowAutofill undoes withoutAutofill for the next documents.
func (b *browser) allowAutofill(id page.ScriptIdentifier) {
	b.t.Helper()
	b.call("turn passkey autofill on", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: id})
		return err
	})
}

// waitFor polls cond for up to 30 seconds and fails the test with what
// when it never holds.
func (b *browser) waitFor(what string, cond func() bool) {
	b.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.t.Fatalf("waited 30 s for %s; at %s", what, b.location())
		}
	}
}

// TestPasskeysInTheBrowser adds a passkey on /account/passkeys through
// Chromium's virtual authenticator (resident key, user verification),
// logs out, signs in with it with no username (with the button, as a
// browser without autofill, and by autofill), uses it instead of the code
// after the password once TOTP is on, and is refused when the
// authenticator reports no user verification. The new pages pass the
// checks, axe included.
func TestPasskeysInTheBrowser(t *testing.T) {
	s := startPasskeySite(t)
	b := s.launch(t, "", desktop)
	auth := b.addAuthenticator()

	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.signUp("alice", alicePassword)
	b.wantAt(b.logIn("alice", alicePassword, false), http.StatusOK, "/")
	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.wantAt(b.activate(`main a[href="/account/passkeys"]`), http.StatusOK, "/account/passkeys")
	b.checkPage("passkeys-empty", "")
	b.wantText("#no-passkeys", "You have no passkeys yet.")

	b.typeInto("#passkey-name", "Laptop")
	b.wantAt(b.activate(`#add-passkey button[type="submit"]`), http.StatusOK, "/account/passkeys?notice=passkey-added")
	b.wantText(`[role="status"]`, "The passkey has been added.")
	b.wantText("tr.passkey th", "Laptop")
	b.checkPage("passkeys-list", "")
	creds := b.credentials(auth)
	if len(creds) != 1 || !creds[0].IsResidentCredential || creds[0].RpID != "localhost" || len(creds[0].UserHandle) != 32 {
		t.Fatalf("authenticator credentials = %+v, want one resident credential for localhost with a 32-byte user handle", creds)
	}

	// First as a browser without passkey autofill (conditional
	// mediation): the button.
	noAutofill := b.withoutAutofill()
	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	if got := b.attr("#username", "autocomplete"); got != "username webauthn" {
		t.Errorf("#username autocomplete = %q, want \"username webauthn\" (passkey autofill)", got)
	}
	b.checkPage("login-passkey", "")
	b.wantAt(b.activate(`#passkey-login button[type="submit"]`), http.StatusOK, "/")
	b.wantText("main", "Welcome, alice")
	b.wantAt(b.open("/account/passkeys"), http.StatusOK, "/account/passkeys")
	if used := b.text("tr.passkey td:nth-of-type(2)"); used == "Never" {
		t.Errorf("last used after the passkey login = %q, want a time", used)
	}

	// Then with autofill: the login page asks for the passkey as it
	// loads, and the virtual authenticator, present at once, answers.
	b.allowAutofill(noAutofill)
	b.activate(`header form[action="/logout"] button`)
	b.waitFor("the autofill login", func() bool {
		return b.location() == "/" && eval[bool](b, `document.readyState === "complete" && !!document.querySelector("main")`)
	})
	b.waitLoaded()
	b.wantText("main", "Welcome, alice")

	// With TOTP on, the passkey can stand in for the code after the
	// password, on /login/2fa.
	b.wantAt(b.open("/account/2fa"), http.StatusOK, "/account/2fa")
	secret := strings.ReplaceAll(b.text("#totp-secret"), " ", "")
	code, err := totp.Code(secret, time.Now())
	if err != nil {
		t.Fatalf("totp.Code(secret read from the page %q) error = %v", secret, err)
	}
	b.typeInto("#code", code)
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/account/2fa")
	b.wantText(`[role="status"]`, "Two-factor authentication is on.")
	b.withoutAutofill()
	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	b.wantAt(b.logIn("alice", alicePassword, false), http.StatusOK, "/login/2fa")
	b.checkPage("login-2fa-passkey", "")
	b.wantAt(b.activate(`#passkey-second-step button[type="submit"]`), http.StatusOK, "/")
	b.wantText("main", "Welcome, alice")

	// The authenticator now fails user verification: the login is refused.
	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	b.call("turn user verification off", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, webauthn.SetUserVerified, webauthn.SetUserVerifiedParams{AuthenticatorID: auth, IsUserVerified: false})
		return err
	})
	b.tabTo(`#passkey-login button[type="submit"]`)
	b.do("press Enter", chromedp.KeyEvent(kb.Enter))
	refusedByServer := func() bool { return b.location() == "/login/passkey" }
	refusedByBrowser := func() bool {
		return eval[bool](b, `(function(){var e=document.getElementById("passkey-error");return !!e && !e.hidden;})()`)
	}
	b.waitFor("a refusal", func() bool { return refusedByServer() || refusedByBrowser() })
	if refusedByServer() {
		b.wantText(`[role="alert"]`, "The passkey was not accepted.")
	}
	b.takeProblems() // a refused WebAuthn request may log; the refusal is what is checked
	b.wantAt(b.open("/account"), http.StatusOK, "/login?next=%2Faccount")
}
