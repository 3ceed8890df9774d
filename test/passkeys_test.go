package test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/webauthntest"
)

var passkeyIDs = regexp.MustCompile(`action="/account/passkeys/(\d+)/rename"`)

// passkeyOptions posts to a passkey form's options route and returns the
// JSON.
func passkeyOptions(t *testing.T, b *browser, path string) []byte {
	t.Helper()
	res := b.post(path, nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("POST %s = %d %s (%s), want 200 JSON, not stored; body:\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"), res.Body)
	}
	return []byte(res.Body)
}

// addPasskeyOverHTTP registers auth's new credential as name for b's
// account, as passkeys.js does.
func addPasskeyOverHTTP(t *testing.T, b *browser, auth *webauthntest.Authenticator, name string) response {
	t.Helper()
	cred, err := auth.Create(passkeyOptions(t, b, "/account/passkeys/options"))
	if err != nil {
		t.Fatal(err)
	}
	return b.post("/account/passkeys", url.Values{"passkey_name": {name}, "credential": {string(cred)}})
}

// passkeyLoginOverHTTP signs b in with auth, with no username.
func passkeyLoginOverHTTP(t *testing.T, b *browser, auth *webauthntest.Authenticator) response {
	t.Helper()
	cred, err := auth.Get(passkeyOptions(t, b, "/login/passkey/options"))
	if err != nil {
		t.Fatal(err)
	}
	return b.post("/login/passkey", url.Values{"credential": {string(cred)}, "remember": {"on"}})
}

// TestPasskeysOverHTTP: a signed-in user adds a passkey on
// /account/passkeys (other sessions end), signs in with it with no
// username, is refused when the authenticator did not verify the user,
// renames it, and removes it with the current password.
func TestPasskeysOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	other := srv.newBrowser()
	other.login("alice", alicePassword, false)

	if res := b.get("/account"); !strings.Contains(res.Body, `href="/account/passkeys"`) {
		t.Errorf("GET /account lacks the link to /account/passkeys")
	}
	page := b.get("/account/passkeys")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "You have no passkeys yet") || !regexp.MustCompile(`<script src="/static/passkeys\.[0-9a-f]+\.js" defer>`).MatchString(page.Body) {
		t.Fatalf("GET /account/passkeys = %d, want the empty list and the external script; body:\n%s", page.StatusCode, page.Body)
	}

	auth := webauthntest.New(srv.cfg.WebAuthnOrigins[0])
	auth.Counter = 1
	before := b.cookie("gatehouse_session")
	if res := addPasskeyOverHTTP(t, b, auth, "Laptop"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/passkeys?notice=passkey-added" {
		t.Fatalf("POST /account/passkeys = %d (%s), want 303 to the list; body:\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	if after := b.cookie("gatehouse_session"); after == nil || before == nil || after.Value == before.Value {
		t.Errorf("session cookie after adding a passkey not replaced")
	}
	if res := other.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another session after adding a passkey: GET /account = %d, want 303 to the login", res.StatusCode)
	}
	page = b.get("/account/passkeys")
	ids := passkeyIDs.FindStringSubmatch(page.Body)
	if ids == nil || !strings.Contains(page.Body, "Laptop") || !strings.Contains(page.Body, "Never") {
		t.Fatalf("GET /account/passkeys lacks Laptop, never used; body:\n%s", page.Body)
	}
	bad := addPasskeyOverHTTP(t, b, webauthntest.New(srv.cfg.WebAuthnOrigins[0]), "  ")
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "1 to 64 characters") {
		t.Errorf("POST /account/passkeys (blank name) = %d, want 422 with the name's message", bad.StatusCode)
	}

	if res := b.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /logout = %d", res.StatusCode)
	}
	login := b.get("/login")
	if !strings.Contains(login.Body, `autocomplete="username webauthn"`) || !strings.Contains(login.Body, "Sign in with a passkey") {
		t.Errorf("GET /login lacks passkey autofill or the passkey button; body:\n%s", login.Body)
	}
	res := passkeyLoginOverHTTP(t, b, auth)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("POST /login/passkey = %d (%s), want 303 to /; body:\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	if c := res.setCookie(t, "gatehouse_session"); c.MaxAge <= 0 {
		t.Errorf("passkey login with remember: session cookie Max-Age %d, want persistent", c.MaxAge)
	}
	if dash := b.get("/"); dash.StatusCode != http.StatusOK || !strings.Contains(dash.Body, "alice") {
		t.Errorf("GET / after passkey login = %d, want alice's dashboard", dash.StatusCode)
	}

	stranger := srv.newBrowser()
	auth.UserVerified = false
	if res := passkeyLoginOverHTTP(t, stranger, auth); res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "The passkey was not accepted") || stranger.cookie("gatehouse_session") != nil {
		t.Errorf("POST /login/passkey (no user verification) = %d, want 401 on the login page and no session; body:\n%s", res.StatusCode, res.Body)
	}
	auth.UserVerified = true
	garbage := stranger.post("/login/passkey", url.Values{"credential": {`{"id":"x"}`}})
	if garbage.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /login/passkey (garbage) = %d, want 401", garbage.StatusCode)
	}

	id := ids[1]
	if res := b.post("/account/passkeys/"+id+"/rename", url.Values{"passkey_name": {"Phone"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("POST rename = %d, want 303; body:\n%s", res.StatusCode, res.Body)
	}
	if res := b.post("/account/passkeys/999999/rename", url.Values{"passkey_name": {"Phone"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST rename (unknown passkey) = %d, want 404", res.StatusCode)
	}
	if res := b.post("/account/passkeys/"+id+"/remove", url.Values{"current_password": {"wrong password!"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST remove (wrong password) = %d, want 422", res.StatusCode)
	}
	page = b.get("/account/passkeys")
	if !strings.Contains(page.Body, "Phone") || strings.Contains(page.Body, "Never") {
		t.Errorf("GET /account/passkeys after rename and login lacks Phone, last used; body:\n%s", page.Body)
	}
	if res := b.post("/account/passkeys/"+id+"/remove", url.Values{"current_password": {alicePassword}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST remove = %d, want 303; body:\n%s", res.StatusCode, res.Body)
	}
	if page := b.get("/account/passkeys"); !strings.Contains(page.Body, "You have no passkeys yet") {
		t.Errorf("GET /account/passkeys after remove still lists a passkey")
	}
	if res := passkeyLoginOverHTTP(t, srv.newBrowser(), auth); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /login/passkey with a removed passkey = %d, want 401", res.StatusCode)
	}
}

// TestPasskeySecondStepOverHTTP: with TOTP on, /login/2fa offers the
// account's passkey, which finishes the login instead of a code.
func TestPasskeySecondStepOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	enrollOverHTTP(t, b)
	if page := b.get("/login/2fa"); page.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET /login/2fa signed in = %d, want 303", page.StatusCode)
	}
	auth := webauthntest.New(srv.cfg.WebAuthnOrigins[0])
	if res := addPasskeyOverHTTP(t, b, auth, "Laptop"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/passkeys = %d; body:\n%s", res.StatusCode, res.Body)
	}
	b.post("/logout", nil)

	b.login("alice", alicePassword, false)
	page := b.get("/login/2fa")
	if !strings.Contains(page.Body, "Use a passkey instead") {
		t.Fatalf("GET /login/2fa lacks the passkey; body:\n%s", page.Body)
	}
	cred, err := auth.Get(passkeyOptions(t, b, "/login/2fa/passkey/options"))
	if err != nil {
		t.Fatal(err)
	}
	res := b.post("/login/2fa/passkey", url.Values{"credential": {string(cred)}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("POST /login/2fa/passkey = %d (%s), want 303 to /; body:\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	if dash := b.get("/"); dash.StatusCode != http.StatusOK {
		t.Errorf("GET / after the passkey second step = %d, want 200", dash.StatusCode)
	}
	// Without a passkey the page does not offer one.
	c := srv.newBrowser()
	c.signup("bob", alicePassword)
	c.login("bob", alicePassword, false)
	enrollOverHTTP(t, c)
	c.post("/logout", nil)
	c.login("bob", alicePassword, false)
	if page := c.get("/login/2fa"); strings.Contains(page.Body, "passkey") {
		t.Errorf("GET /login/2fa (no passkey) offers one; body:\n%s", page.Body)
	}
}

// TestAPIPasskeyLogin: a native app gets the options and signs in with a
// passkey (201 with a session, as POST /sessions), even with TOTP on; a
// refused answer is 401 invalid_credentials. Every answer is checked
// against openapi.json.
func TestAPIPasskeyLogin(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	enrollOverHTTP(t, b)
	auth := webauthntest.New(srv.cfg.WebAuthnOrigins[0])
	if res := addPasskeyOverHTTP(t, b, auth, "Phone"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/passkeys = %d; body:\n%s", res.StatusCode, res.Body)
	}

	c := srv.newAPIClient()
	login := func() apiResponse {
		opts := c.call(http.MethodPost, v1+"/passkeys/login/options", map[string]any{})
		if opts.StatusCode != http.StatusOK {
			t.Fatalf("POST /passkeys/login/options = %d; body: %s", opts.StatusCode, opts.Body)
		}
		cred, err := auth.Get([]byte(opts.Body))
		if err != nil {
			t.Fatal(err)
		}
		return c.call(http.MethodPost, v1+"/passkeys/login", map[string]any{"credential": json.RawMessage(cred), "remember": true})
	}
	ok := login()
	if ok.StatusCode != http.StatusCreated {
		t.Fatalf("POST /passkeys/login = %d, want 201; body: %s", ok.StatusCode, ok.Body)
	}
	var s apiSession
	ok.decode(t, &s)
	if me := c.withToken(s.Token).call(http.MethodGet, v1+"/me", nil); me.StatusCode != http.StatusOK {
		t.Errorf("GET /me with the passkey's token = %d, want 200", me.StatusCode)
	}
	auth.UserVerified = false
	login().wantError(t, "POST /passkeys/login (no user verification)", http.StatusUnauthorized, "invalid_credentials")
	missing := c.do(apiRequest{method: http.MethodPost, path: v1 + "/passkeys/login", body: []byte(`{"remember":true}`), offSpec: true})
	missing.wantError(t, "POST /passkeys/login (no credential)", http.StatusUnprocessableEntity, "invalid_input")
}

// TestPasskeysOff: with PUBLIC_URL at an IP address and no
// WEBAUTHN_RP_ID, passkeys are off: no routes, no button, no autofill.
func TestPasskeysOff(t *testing.T) {
	t.Parallel()
	srv := startServer(t, withConfig(func(c *config.Config) { c.WebAuthnRPID = "" }))
	b := srv.newBrowser()
	login := b.get("/login")
	if strings.Contains(login.Body, "webauthn") || strings.Contains(login.Body, "passkey") {
		t.Errorf("GET /login with passkeys off mentions them; body:\n%s", login.Body)
	}
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	if res := b.get("/account/passkeys"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /account/passkeys with passkeys off = %d, want 404", res.StatusCode)
	}
	if res := b.get("/account"); strings.Contains(res.Body, "/account/passkeys") {
		t.Errorf("GET /account with passkeys off links the passkeys page")
	}
	c := srv.newAPIClient()
	c.call(http.MethodPost, v1+"/passkeys/login/options", map[string]any{}).wantError(t, "POST /passkeys/login/options (off)", http.StatusNotFound, "not_found")
}
