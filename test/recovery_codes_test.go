package test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/test/smtptest"
)

// verifyAddressOnTheSite gives b's account the verified address addr,
// reading the code from the n-th message smtp receives.
func verifyAddressOnTheSite(t *testing.T, b *browser, smtp *smtptest.Server, n int, addr, password string) {
	t.Helper()
	b.get("/account")
	if res := b.post("/account/email", url.Values{"email": {addr}, "current_password": {password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/email = %d: %s", res.StatusCode, res.Body)
	}
	code := codeOf(t, mailTo(t, smtp, n, addr))
	if res := b.post("/account/email/verify", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /account/email/verify = %d: %s", res.StatusCode, res.Body)
	}
}

// passwordStepOnTheSite logs b out and gives the password of a 2FA
// account, which sends it to /login/2fa.
func passwordStepOnTheSite(t *testing.T, b *browser, name, password string) {
	t.Helper()
	b.post("/logout", nil)
	res := b.post("/login", url.Values{"username": {name}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login/2fa" {
		t.Fatalf("POST /login (2FA on) = %d to %q, want 303 to /login/2fa", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestRecoveryCodesOverHTTP: the codes the enrollment shows log in once
// each at /login/2fa (as typed: lower case, spaces), a notice with the
// count left goes to the verified address, the page says how many are
// left and the session list marks the session two-factor; a used code is
// refused; new codes right after a two-factor login need no code and
// replace the old; turning 2FA off with a recovery code mails a notice.
// No code reaches the logs.
func TestRecoveryCodesOverHTTP(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	b := r.srv.newBrowser()
	b.signup("erin", emailPassword)
	b.login("erin", emailPassword, false)
	verifyAddressOnTheSite(t, b, smtp, 1, "erin@example.com", emailPassword)
	_, codes := enrollWithCodesOverHTTP(t, b)

	passwordStepOnTheSite(t, b, "erin", emailPassword)
	typed := strings.ToLower(strings.ReplaceAll(codes[0], "-", " "))
	ok := b.post("/login/2fa", url.Values{"code": {typed}})
	if ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/" {
		t.Fatalf("POST /login/2fa (recovery code %q) = %d to %q, want 303 to /; body:\n%s", typed, ok.StatusCode, ok.Header.Get("Location"), ok.Body)
	}
	notice := mailTo(t, smtp, 2, "erin@example.com")
	if !strings.Contains(notice.Subject, "recovery code was used") || !strings.Contains(notice.Text, "9 recovery codes are left") ||
		!strings.Contains(notice.Text, "https://login.example.org/account/2fa") {
		t.Errorf("notice %q: %q, want one saying 9 are left, linking to the 2FA page", notice.Subject, notice.Text)
	}
	page := b.get("/account/2fa")
	if !strings.Contains(page.Body, "9 recovery codes are left") {
		t.Errorf("GET /account/2fa does not say 9 recovery codes are left")
	}
	if !strings.Contains(b.get("/account").Body, `<td class="session-two-factor">Yes</td>`) {
		t.Errorf("GET /account does not mark the session two-factor")
	}

	passwordStepOnTheSite(t, b, "erin", emailPassword)
	used := b.post("/login/2fa", url.Values{"code": {codes[0]}})
	if used.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(used.Body, "has been used already") {
		t.Errorf("POST /login/2fa (used recovery code) = %d, want 422 saying so", used.StatusCode)
	}
	if res := b.post("/login/2fa", url.Values{"code": {codes[1]}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /login/2fa (second recovery code) = %d", res.StatusCode)
	}
	mailTo(t, smtp, 3, "erin@example.com")

	// Just logged in with a second factor: new codes need no code.
	page = b.get("/account/2fa")
	if strings.Contains(page.Body, `id="regenerate-code"`) {
		t.Errorf("GET /account/2fa right after a two-factor login asks for a code to make new recovery codes")
	}
	fresh := b.post("/account/2fa/recovery-codes", nil)
	newCodes := pageRecoveryCodes(fresh.Body)
	if fresh.StatusCode != http.StatusOK || len(newCodes) != 10 || fresh.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("POST /account/2fa/recovery-codes = %d with %d codes (Cache-Control %q), want 200, 10, no-store", fresh.StatusCode, len(newCodes), fresh.Header.Get("Cache-Control"))
	}
	checkFormsHaveTokens(t, "POST /account/2fa/recovery-codes", fresh.Body)
	if !strings.Contains(b.get("/account/2fa").Body, "10 recovery codes are left") {
		t.Errorf("GET /account/2fa after new codes does not say 10 are left")
	}

	off := b.post("/account/2fa/disable", url.Values{"current_password": {emailPassword}, "code": {codes[2]}})
	if off.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST /account/2fa/disable with a code of the replaced set = %d, want 422", off.StatusCode)
	}
	off = b.post("/account/2fa/disable", url.Values{"current_password": {emailPassword}, "code": {newCodes[0]}})
	if off.StatusCode != http.StatusSeeOther || off.Header.Get("Location") != "/account?notice=totp-disabled" {
		t.Fatalf("POST /account/2fa/disable (recovery code) = %d to %q; body:\n%s", off.StatusCode, off.Header.Get("Location"), off.Body)
	}
	if m := mailTo(t, smtp, 5, "erin@example.com"); !strings.Contains(m.Subject, "Two-factor authentication was turned off") {
		t.Errorf("5th message %q, want the notice that 2FA was turned off", m.Subject)
	}
	activity := b.get("/account").Body
	for _, want := range []string{"Recovery code used", "New recovery codes made", "Wrong recovery code, or one already used"} {
		if !strings.Contains(activity, want) {
			t.Errorf("recent activity lacks %q", want)
		}
	}
	logs := r.srv.logs.String()
	for _, c := range append(codes, newCodes...) {
		if strings.Contains(logs, c) || strings.Contains(logs, strings.ReplaceAll(c, "-", "")) {
			t.Fatalf("the logs hold recovery code %s", c)
		}
	}
}

// TestRecoveryCodesNeedARecentSecondFactor: 16 minutes after the session's
// second factor (on the server's clock), new recovery codes need a code:
// none or a wrong one is a 422 at the form's own field and shows no
// codes; a current one makes them, and the session counts as recent
// again.
func TestRecoveryCodesNeedARecentSecondFactor(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	srv := startServer(t, withClock(clock))
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	secret := pageSecret(t, b.get("/account/2fa").Body)
	if res := b.post("/account/2fa", url.Values{"code": {codeAt(t, secret, clock.Now())}}); res.StatusCode != http.StatusOK {
		t.Fatalf("POST /account/2fa = %d", res.StatusCode)
	}

	clock.Advance(16 * time.Minute)
	page := b.get("/account/2fa")
	if !strings.Contains(page.Body, `id="regenerate-code"`) {
		t.Fatalf("GET /account/2fa 16 minutes after the second factor does not ask for a code")
	}
	none := b.post("/account/2fa/recovery-codes", nil)
	if none.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(none.Body, `id="regenerate-code-error"`) || len(pageRecoveryCodes(none.Body)) != 0 {
		t.Errorf("POST /account/2fa/recovery-codes without a code = %d, want 422 with a message at its field and no codes", none.StatusCode)
	}
	wrong := b.post("/account/2fa/recovery-codes", url.Values{"code": {"000000"}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || len(pageRecoveryCodes(wrong.Body)) != 0 {
		t.Errorf("POST /account/2fa/recovery-codes with a wrong code = %d, want 422 and no codes", wrong.StatusCode)
	}
	right := b.post("/account/2fa/recovery-codes", url.Values{"code": {codeAt(t, secret, clock.Now().Add(30*time.Second))}})
	if right.StatusCode != http.StatusOK || len(pageRecoveryCodes(right.Body)) != 10 {
		t.Fatalf("POST /account/2fa/recovery-codes with a current code = %d, want 200 with 10 codes; body:\n%s", right.StatusCode, right.Body)
	}
	if page := b.get("/account/2fa"); strings.Contains(page.Body, `id="regenerate-code"`) {
		t.Errorf("right after a code, GET /account/2fa still asks for one")
	}
}

// TestAPILoginWithRecoveryCode: POST /sessions/second-factor accepts a
// recovery code once; two concurrent logins with one code: exactly one
// wins; the session is listed as two_factor.
func TestAPILoginWithRecoveryCode(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	b.signup("alice", alicePassword)
	b.login("alice", alicePassword, false)
	_, codes := enrollWithCodesOverHTTP(t, b)

	c := srv.newAPIClient()
	challenge := func() string {
		res := c.call(http.MethodPost, v1+"/sessions", map[string]any{"username": "alice", "password": alicePassword})
		var body struct {
			SecondFactor struct {
				Challenge string `json:"challenge"`
			} `json:"second_factor"`
		}
		res.decode(t, &body)
		return body.SecondFactor.Challenge
	}
	first, second := challenge(), challenge()
	results := make([]apiResponse, 2)
	var wg sync.WaitGroup
	for i, ch := range []string{first, second} {
		wg.Go(func() {
			results[i] = c.call(http.MethodPost, v1+"/sessions/second-factor", map[string]string{"challenge": ch, "code": codes[5]})
		})
	}
	wg.Wait()
	var token string
	wins := 0
	for _, res := range results {
		switch res.StatusCode {
		case http.StatusCreated:
			wins++
			var s apiSession
			res.decode(t, &s)
			token = s.Token
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("POST /sessions/second-factor (raced recovery code) = %d, want 201 or 422", res.StatusCode)
		}
	}
	if wins != 1 {
		t.Fatalf("%d logins with one recovery code, want exactly 1", wins)
	}
	list := c.withToken(token).call(http.MethodGet, v1+"/sessions", nil)
	var body struct {
		Sessions []struct {
			Current   bool `json:"current"`
			TwoFactor bool `json:"two_factor"`
		} `json:"sessions"`
	}
	list.decode(t, &body)
	for _, s := range body.Sessions {
		if s.Current && !s.TwoFactor {
			t.Errorf("GET /sessions: the recovery-code session has two_factor false")
		}
	}
}
