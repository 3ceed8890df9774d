package test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/totp"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/config"
)

var (
	secretPattern       = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7 ]+)</code>`)
	recoveryCodePattern = regexp.MustCompile(`<code class="recovery-code">([A-Z2-9-]+)</code>`)
)

// pageRecoveryCodes reads the recovery codes a page shows.
func pageRecoveryCodes(body string) []string {
	var codes []string
	for _, m := range recoveryCodePattern.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
	}
	return codes
}

// pageSecret reads the pending TOTP secret from the two-factor page, as a
// person typing it into an app would.
func pageSecret(t *testing.T, body string) string {
	t.Helper()
	m := secretPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the two-factor page shows no secret; body:\n%s", body)
	}
	return strings.ReplaceAll(m[1], " ", "")
}

func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.Code(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTOTPEnrollOverHTTP enrolls an authenticator app with real codes:
// the secret shows as text and as a same-origin, uncached QR image; a
// wrong code is refused; the right one turns 2FA on and logs out the
// other browser; the same code cannot be used again; turning it off needs
// password and a fresh code. The secret never reaches the logs.
func TestTOTPEnrollOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	other := srv.newBrowser()
	other.login("alice", alicePassword, false)

	if anon := srv.newBrowser().get("/account/2fa/qr.png"); anon.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous GET /account/2fa/qr.png = %d, want 303 to the login", anon.StatusCode)
	}
	if acct := b.get("/account"); !strings.Contains(acct.Body, `<a href="/account/2fa">Two-factor authentication</a>`) {
		t.Errorf("GET /account lacks the link to /account/2fa")
	}
	page := b.get("/account/2fa")
	if page.StatusCode != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET /account/2fa = %d (Cache-Control %q), want 200, no-store", page.StatusCode, page.Header.Get("Cache-Control"))
	}
	checkFormsHaveTokens(t, "/account/2fa", page.Body)
	secret := pageSecret(t, page.Body)
	if len(secret) != 32 {
		t.Errorf("secret %q has %d base32 characters, want 32 (160 bits)", secret, len(secret))
	}
	if again := pageSecret(t, b.get("/account/2fa").Body); again != secret {
		t.Errorf("reloading /account/2fa changed the secret")
	}
	if !strings.Contains(page.Body, `<img class="mb-3 border" src="/account/2fa/qr.png"`) {
		t.Errorf("GET /account/2fa lacks the same-origin QR image")
	}
	qr := b.get("/account/2fa/qr.png")
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" ||
		qr.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(qr.Body, "\x89PNG") {
		t.Errorf("GET /account/2fa/qr.png = %d %q (Cache-Control %q), want 200 image/png no-store", qr.StatusCode, qr.Header.Get("Content-Type"), qr.Header.Get("Cache-Control"))
	}

	wrong := b.post("/account/2fa", url.Values{"code": {"000000"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, "That code is not correct.") {
		t.Errorf("POST /account/2fa (wrong code) = %d, want 422 saying the code is wrong", wrong.StatusCode)
	}
	code := codeAt(t, secret, time.Now())
	on := b.post("/account/2fa", url.Values{"code": {code}})
	if on.StatusCode != http.StatusOK || on.Header.Get("Cache-Control") != "no-store" || !strings.Contains(on.Body, "Two-factor authentication is on.") {
		t.Fatalf("POST /account/2fa (right code) = %d (Cache-Control %q), want 200, no-store, saying it is on; body:\n%s", on.StatusCode, on.Header.Get("Cache-Control"), on.Body)
	}
	if codes := pageRecoveryCodes(on.Body); len(codes) != 10 {
		t.Errorf("POST /account/2fa (right code) shows %d recovery codes, want 10", len(codes))
	}
	checkFormsHaveTokens(t, "POST /account/2fa", on.Body)
	if page := b.get("/account/2fa"); !strings.Contains(page.Body, `id="totp-status"`) || strings.Contains(page.Body, "totp-secret") {
		t.Errorf("GET /account/2fa after enabling does not say it is on, or still shows a secret")
	}
	if res := other.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the other browser's GET /account after enabling 2FA = %d, want 303: its session ended", res.StatusCode)
	}
	if qr := b.get("/account/2fa/qr.png"); qr.StatusCode != http.StatusNotFound {
		t.Errorf("GET /account/2fa/qr.png after enabling = %d, want 404: the secret is not shown again", qr.StatusCode)
	}

	replay := b.post("/account/2fa/disable", url.Values{"current_password": {alicePassword}, "code": {code}})
	if replay.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(replay.Body, "already been used") {
		t.Errorf("POST /account/2fa/disable with the code already used = %d, want 422 saying so", replay.StatusCode)
	}
	next := codeAt(t, secret, time.Now().Add(30*time.Second)) // one step ahead: within the skew
	off := b.post("/account/2fa/disable", url.Values{"current_password": {alicePassword}, "code": {next}})
	if off.StatusCode != http.StatusSeeOther || off.Header.Get("Location") != "/account?notice=totp-disabled" {
		t.Fatalf("POST /account/2fa/disable = %d to %q, want 303 to /account?notice=totp-disabled; body:\n%s", off.StatusCode, off.Header.Get("Location"), off.Body)
	}
	if page := b.get("/account/2fa"); pageSecret(t, page.Body) == secret {
		t.Errorf("after turning 2FA off the page offers the old secret again")
	}
	activity := b.get("/account").Body
	for _, want := range []string{"Two-factor authentication turned on", "Two-factor authentication turned off", "Two-factor code used a second time: refused"} {
		if !strings.Contains(activity, want) {
			t.Errorf("recent activity lacks %q", want)
		}
	}
	if logs := srv.logs.String(); strings.Contains(logs, secret) || strings.Contains(logs, "code="+code) {
		t.Errorf("the logs hold the secret or a code")
	}
}

// enrollOverHTTP turns on alice's authenticator app in b and returns the
// secret.
func enrollOverHTTP(t *testing.T, b *browser) string {
	t.Helper()
	secret, _ := enrollWithCodesOverHTTP(t, b)
	return secret
}

// enrollWithCodesOverHTTP turns on the authenticator app in b and returns
// the secret and the recovery codes the answer shows.
func enrollWithCodesOverHTTP(t *testing.T, b *browser) (string, []string) {
	t.Helper()
	secret := pageSecret(t, b.get("/account/2fa").Body)
	res := b.post("/account/2fa", url.Values{"code": {codeAt(t, secret, time.Now())}})
	codes := pageRecoveryCodes(res.Body)
	if res.StatusCode != http.StatusOK || len(codes) != 10 {
		t.Fatalf("POST /account/2fa = %d with %d recovery codes, want 200 with 10; body:\n%s", res.StatusCode, len(codes), res.Body)
	}
	return secret, codes
}

// TestLoginWithTOTPOverHTTP: with 2FA on, the right password sets no
// session cookie but a challenge and sends the browser to /login/2fa; a
// wrong code is a 422 on that page; the right code logs in, to the
// original destination, with the password step's "remember me"; the
// challenge cannot be used again.
func TestLoginWithTOTPOverHTTP(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	secret := enrollOverHTTP(t, b)
	if res := b.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /logout = %d", res.StatusCode)
	}

	if res := b.get("/login/2fa"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("GET /login/2fa without a challenge = %d to %q, want 303 to the login", res.StatusCode, res.Header.Get("Location"))
	}
	pw := b.post("/login", url.Values{"username": {"alice"}, "password": {alicePassword}, "remember": {"on"}, "next": {"/account"}})
	if pw.StatusCode != http.StatusSeeOther || pw.Header.Get("Location") != "/login/2fa?next=%2Faccount" {
		t.Fatalf("POST /login (2FA on) = %d to %q, want 303 to /login/2fa?next=%%2Faccount", pw.StatusCode, pw.Header.Get("Location"))
	}
	if line := pw.setCookieHeader("gatehouse_session"); line != "" {
		t.Errorf("the password step set a session cookie: %s", line)
	}
	if line := pw.setCookieHeader("gatehouse_challenge"); !strings.Contains(line, "HttpOnly") || !strings.Contains(line, "max-age=300") {
		t.Errorf("challenge cookie = %q, want HttpOnly with Max-Age=300", line)
	}
	if res := b.get("/account"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /account after the password step alone = %d, want 303 to the login", res.StatusCode)
	}
	page := b.get("/login/2fa?next=%2Faccount")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `name="code" id="code"`) {
		t.Fatalf("GET /login/2fa = %d, want 200 with the code field", page.StatusCode)
	}
	checkFormsHaveTokens(t, "/login/2fa", page.Body)
	challenge := b.cookie("gatehouse_challenge")

	wrong := b.post("/login/2fa", url.Values{"code": {"000000"}, "next": {"/account"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, "That code is not correct.") {
		t.Errorf("POST /login/2fa (wrong code) = %d, want 422 saying so", wrong.StatusCode)
	}
	code := codeAt(t, secret, time.Now().Add(30*time.Second)) // newer than the enrollment's step
	ok := b.post("/login/2fa", url.Values{"code": {code}, "next": {"/account"}})
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/account" {
		t.Fatalf("POST /login/2fa (right code) = %d to %q, want 303 to /account; body:\n%s", ok.StatusCode, ok.Header.Get("Location"), ok.Body)
	}
	if line := ok.setCookieHeader("gatehouse_session"); !strings.Contains(line, "max-age=") {
		t.Errorf("session cookie after the code = %q, want a persistent one (remember me was ticked)", line)
	}
	if res := b.get("/account"); res.StatusCode != http.StatusOK {
		t.Errorf("GET /account after the code = %d, want 200", res.StatusCode)
	}

	// The challenge is single use: sent again, it is gone.
	replay := srv.newBrowser()
	replay.setCookie("gatehouse_challenge", challenge.Value)
	res := replay.post("/login/2fa", url.Values{"code": {codeAt(t, secret, time.Now().Add(30*time.Second))}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=challenge-gone" {
		t.Errorf("POST /login/2fa with a used challenge = %d to %q, want 303 to /login?notice=challenge-gone", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestLoginCodeLockout: wrong codes at /login/2fa count as failed logins:
// after five the sixth, even right, is a 429 with Retry-After.
func TestLoginCodeLockout(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	secret := enrollOverHTTP(t, b)
	b.post("/logout", nil)
	b.post("/login", url.Values{"username": {"alice"}, "password": {alicePassword}})
	for i := range 5 {
		if res := b.post("/login/2fa", url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code #%d = %d, want 422", i+1, res.StatusCode)
		}
	}
	res := b.post("/login/2fa", url.Values{"code": {codeAt(t, secret, time.Now().Add(30*time.Second))}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("right code after five wrong ones = %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
}

// TestRequire2FAForAdmins: with REQUIRE_2FA_FOR_ADMINS=true an admin
// without a second factor is sent to the enrollment before any admin page
// (GET and POST alike), and reaches them once it is on; without the
// setting nothing changes.
func TestRequire2FAForAdmins(t *testing.T) {
	t.Parallel()
	srv := startAdminServer(t, withConfig(func(c *config.Config) { c.Require2FAForAdmins = true }))
	srv.createUser(t, "bob", alicePassword, domain.RoleUser)
	root := srv.rootBrowser(t)
	for _, res := range []response{root.get("/admin/users"), root.post("/admin/users/2/disable", nil)} {
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/2fa?notice=admin-2fa-required" {
			t.Errorf("admin without 2FA: %s %s = %d to %q, want 303 to /account/2fa?notice=admin-2fa-required", res.Request.Method, res.Request.URL.Path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if page := root.get("/account/2fa?notice=admin-2fa-required"); !strings.Contains(page.Body, "Admins must use two-factor authentication") {
		t.Errorf("the enrollment page does not say why the admin was sent there")
	}
	secret := pageSecret(t, root.get("/account/2fa").Body)
	if res := root.post("/account/2fa", url.Values{"code": {codeAt(t, secret, time.Now())}}); res.StatusCode != http.StatusOK {
		t.Fatalf("POST /account/2fa = %d", res.StatusCode)
	}
	list := root.get("/admin/users")
	if list.StatusCode != http.StatusOK {
		t.Errorf("admin with 2FA: GET /admin/users = %d, want 200", list.StatusCode)
	}
	if on, off := strings.Count(list.Body, `<td class="two-factor">On</td>`), strings.Count(list.Body, `<td class="two-factor">Off</td>`); on != 1 || off != 1 {
		t.Errorf("GET /admin/users shows 2FA on %d and off %d times, want root on and bob off", on, off)
	}
	if strings.Contains(list.Body, "recovery codes") {
		t.Errorf("GET /admin/users mentions recovery codes: how many are left is the owner's business")
	}

	plain := startAdminServer(t)
	if res := plain.rootBrowser(t).get("/admin/users"); res.StatusCode != http.StatusOK {
		t.Errorf("without REQUIRE_2FA_FOR_ADMINS: GET /admin/users = %d, want 200", res.StatusCode)
	}
}
