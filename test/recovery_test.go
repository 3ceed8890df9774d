package test

import (
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/test/smtptest"
)

const recoveredPassword = "a recovered passphrase"

// waitMail waits for a message to addr whose subject contains subject,
// beyond the first skip such messages, and returns it parsed.
func waitMail(t *testing.T, smtp *smtptest.Server, addr, subject string, skip int) smtptest.Parsed {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		seen := 0
		for _, m := range smtp.Messages() {
			if len(m.To) != 1 || m.To[0] != addr {
				continue
			}
			p, err := smtptest.Parse(m.Data)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(p.Subject, subject) {
				if seen == skip {
					return p
				}
				seen++
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message %q to %s arrived (beyond %d)", subject, addr, skip)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// recoveryCodeOf returns the code of a recovery message, checking that
// its link, from PUBLIC_URL, does not carry it.
func recoveryCodeOf(t *testing.T, p smtptest.Parsed) string {
	t.Helper()
	code := codeIn.FindString(p.Text)
	if code == "" {
		t.Fatalf("no code in %q", p.Text)
	}
	if !strings.Contains(p.Text, "https://login.example.org/recover/reset") || strings.Contains(p.Text, "code=") || strings.Contains(p.HTML, "code=") {
		t.Errorf("recovery message %q: want a link to /recover/reset from PUBLIC_URL, without the code", p.Text)
	}
	return code
}

// verifiedAccount signs name up through the API with addr and verifies
// it with the code the SMTP server received.
func verifiedAccount(t *testing.T, smtp *smtptest.Server, api *apiClient, name, addr string) *apiClient {
	t.Helper()
	res := api.call(http.MethodPost, v1+"/users", map[string]string{"username": name, "password": emailPassword, "email": addr})
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /users %s = %d: %s", name, res.StatusCode, res.Body)
	}
	code := codeOf(t, waitMail(t, smtp, addr, "verification code", 0))
	user, _ := api.login(name, emailPassword, false)
	if res := user.call(http.MethodPost, v1+"/me/email/verify", map[string]string{"code": code}); res.StatusCode != http.StatusNoContent {
		t.Fatalf("verify %s = %d: %s", addr, res.StatusCode, res.Body)
	}
	return user
}

// sameAnswer fails unless a and b have the same status, body and
// headers, but for those that differ on every response.
func sameAnswer(t *testing.T, what string, a, b *http.Response, bodyA, bodyB string) {
	t.Helper()
	if a.StatusCode != b.StatusCode || bodyA != bodyB {
		t.Errorf("%s: %d %q and %d %q, want byte-identical answers", what, a.StatusCode, bodyA, b.StatusCode, bodyB)
	}
	ha, hb := a.Header.Clone(), b.Header.Clone()
	for _, h := range []http.Header{ha, hb} {
		h.Del("Date")
		h.Del("X-Request-Id")
	}
	for k := range ha {
		if !slices.Equal(ha[k], hb[k]) {
			t.Errorf("%s: header %s %q and %q, want the same", what, k, ha[k], hb[k])
		}
	}
	if len(ha) != len(hb) {
		t.Errorf("%s: headers %v and %v, want the same", what, ha, hb)
	}
}

// TestRecoveryAnswersTheSameForEveryAddress: POST /recover and POST
// /api/v1/recovery answer byte for byte the same for an address no
// account has, an account's verified address, and an account's address
// while the mail server is down (a request never waits for it).
func TestRecoveryAnswersTheSameForEveryAddress(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	api := r.srv.newAPIClient()

	// The site: one address, asked about while no account has it, once
	// an account verified it, and once more with the mail server down.
	b := r.srv.newBrowser()
	b.get("/recover")
	ask := func() response {
		return b.post("/recover", url.Values{"email": {"kim@example.com"}})
	}
	unknown := ask()
	if unknown.StatusCode != http.StatusOK || !strings.Contains(unknown.Body, "If an account has this address verified") || !strings.Contains(unknown.Body, `action="/recover/reset"`) {
		t.Fatalf("POST /recover = %d, want the reset form with the same notice for every address:\n%s", unknown.StatusCode, unknown.Body)
	}
	waitMail(t, smtp, "kim@example.com", "Account recovery", 0)
	verifiedAccount(t, smtp, api, "kim", "kim@example.com")
	known := ask()
	sameAnswer(t, "POST /recover, unknown then known", unknown.Response, known.Response, unknown.Body, known.Body)
	waitMail(t, smtp, "kim@example.com", "recovery code", 0)
	smtp.Stop()
	start := time.Now()
	down := ask()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("POST /recover with the mail server down took %v: a request must not wait for it", d)
	}
	sameAnswer(t, "POST /recover, known, mail server up then down", known.Response, down.Response, known.Body, down.Body)

	// The API: three addresses.
	smtp.Resume(t)
	verifiedAccount(t, smtp, api, "lee", "lee@example.com")
	verifiedAccount(t, smtp, api, "max", "max@example.com")
	anon := r.srv.newAPIClient()
	askAPI := func(addr string) apiResponse {
		return anon.call(http.MethodPost, v1+"/recovery", map[string]string{"email": addr})
	}
	apiKnown := askAPI("lee@example.com")
	apiUnknown := askAPI("nobody@example.com")
	smtp.Stop()
	apiDown := askAPI("max@example.com")
	if apiKnown.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /recovery = %d: %s", apiKnown.StatusCode, apiKnown.Body)
	}
	sameAnswer(t, "POST /api/v1/recovery, known and unknown", apiKnown.Response, apiUnknown.Response, string(apiKnown.Body), string(apiUnknown.Body))
	sameAnswer(t, "POST /api/v1/recovery, known and known with the mail server down", apiKnown.Response, apiDown.Response, string(apiKnown.Body), string(apiDown.Body))
	smtp.Resume(t)
	recoveryCodeOf(t, waitMail(t, smtp, "max@example.com", "recovery code", 0)) // delivered late, once up
	if p := waitMail(t, smtp, "nobody@example.com", "Account recovery", 0); codeIn.MatchString(p.Text) {
		t.Errorf("the message to an address without an account holds a code: %q", p.Text)
	}
}

// TestRecoveryThroughTheAPI: the code resets the password; every
// session of the account, bearer tokens and remember-me logins included,
// ends; the old password stops working and the new one logs in; a
// notice reaches the address.
func TestRecoveryThroughTheAPI(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	api := r.srv.newAPIClient()
	nina := verifiedAccount(t, smtp, api, "nina", "nina@example.com")
	remembered, _ := api.login("nina", emailPassword, true)
	if res := api.call(http.MethodPost, v1+"/recovery", map[string]string{"email": "NINA@example.com"}); res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /recovery = %d: %s", res.StatusCode, res.Body)
	}
	code := recoveryCodeOf(t, waitMail(t, smtp, "NINA@example.com", "recovery code", 0))
	reset := func(code, password string) apiResponse {
		return api.call(http.MethodPost, v1+"/recovery/reset", map[string]string{"email": "nina@example.com", "code": code, "new_password": password})
	}
	reset("ZZZZZZZZ", recoveredPassword).wantError(t, "a wrong code", http.StatusUnprocessableEntity, "invalid_input")
	reset(code, "short").wantError(t, "a short password", http.StatusUnprocessableEntity, "invalid_input")
	if res := reset(code, recoveredPassword); res.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /recovery/reset = %d: %s", res.StatusCode, res.Body)
	}
	for _, c := range []*apiClient{nina, remembered} {
		c.call(http.MethodGet, v1+"/me", nil).wantError(t, "a token from before the reset", http.StatusUnauthorized, "unauthorized")
	}
	res := api.call(http.MethodPost, v1+"/sessions", map[string]any{"username": "nina", "password": emailPassword})
	res.wantError(t, "the old password", http.StatusUnauthorized, "invalid_credentials")
	api.login("nina", recoveredPassword, false)
	waitMail(t, smtp, "nina@example.com", "password was reset", 0)
	reset(code, "yet another passphrase").wantError(t, "the code a second time", http.StatusUnprocessableEntity, "invalid_input")
}

// TestRecoveryCodeSingleUseUnderConcurrency: two submissions of one code
// at once: one resets the password, the other is refused.
func TestRecoveryCodeSingleUseUnderConcurrency(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	api := r.srv.newAPIClient()
	verifiedAccount(t, smtp, api, "omar", "omar@example.com")
	api.call(http.MethodPost, v1+"/recovery", map[string]string{"email": "omar@example.com"})
	code := recoveryCodeOf(t, waitMail(t, smtp, "omar@example.com", "recovery code", 0))
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, pw := range []string{"first recovered passphrase", "second recovered passphrase"} {
		wg.Go(func() {
			statuses[i] = api.call(http.MethodPost, v1+"/recovery/reset", map[string]string{"email": "omar@example.com", "code": code, "new_password": pw}).StatusCode
		})
	}
	wg.Wait()
	slices.Sort(statuses)
	if statuses[0] != http.StatusNoContent || statuses[1] != http.StatusUnprocessableEntity {
		t.Errorf("two submissions of one code at once = %v, want one 204 and one 422", statuses)
	}
}

// TestRecoveryOnTheSite: the login page links to /recover; the code and a
// new password on the reset form send the browser to log in, with the
// confirmation; a wrong code re-renders the form, keeping the address
// and never the password; the new password logs in.
func TestRecoveryOnTheSite(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	verifiedAccount(t, smtp, r.srv.newAPIClient(), "pia", "pia@example.com")
	b := r.srv.newBrowser()
	if login := b.get("/login"); !strings.Contains(login.Body, `<a href="/recover">Forgot your password?</a>`) {
		t.Errorf("the login page lacks the link to /recover")
	}
	if page := b.get("/recover"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `action="/recover"`) {
		t.Fatalf("GET /recover = %d", page.StatusCode)
	}
	if bad := b.post("/recover", url.Values{"email": {"not an address"}}); bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="email-error"`) {
		t.Errorf("POST /recover with no address = %d, want 422 next to the field", bad.StatusCode)
	}
	b.post("/recover", url.Values{"email": {"pia@example.com"}})
	code := recoveryCodeOf(t, waitMail(t, smtp, "pia@example.com", "recovery code", 0))
	if page := b.get("/recover/reset"); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `name="code"`) {
		t.Errorf("GET /recover/reset = %d, want the form the message links to", page.StatusCode)
	}
	wrong := b.post("/recover/reset", url.Values{"email": {"pia@example.com"}, "code": {"ZZZZZZZZ"}, "new_password": {recoveredPassword}})
	if wrong.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(wrong.Body, "This code is not right") ||
		!strings.Contains(wrong.Body, `value="pia@example.com"`) || strings.Contains(wrong.Body, recoveredPassword) {
		t.Errorf("a wrong code = %d, want 422 with the message, the address kept and the password not", wrong.StatusCode)
	}
	done := b.post("/recover/reset", url.Values{"email": {"pia@example.com"}, "code": {code}, "new_password": {recoveredPassword}})
	if done.StatusCode != http.StatusSeeOther || done.Header.Get("Location") != "/login?notice=password-reset" {
		t.Fatalf("POST /recover/reset = %d to %q, want 303 to the login page", done.StatusCode, done.Header.Get("Location"))
	}
	if page := b.get("/login?notice=password-reset"); !strings.Contains(page.Body, "Your password has been changed. Please log in.") {
		t.Errorf("the login page after a reset lacks the confirmation")
	}
	if b.cookie("gatehouse_session") != nil {
		t.Errorf("the reset logged the browser in; want no session until it logs in")
	}
	b.login("pia", recoveredPassword, false)
}

// TestRecoveryLimitsOnTheSite: a fourth request for one address within
// 15 minutes is a 429 with Retry-After, the same for any address.
func TestRecoveryLimitsOnTheSite(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	b := r.srv.newBrowser()
	for i := range 3 {
		if res := b.post("/recover", url.Values{"email": {"quinn@example.com"}}); res.StatusCode != http.StatusOK {
			t.Fatalf("request %d = %d", i+1, res.StatusCode)
		}
	}
	res := b.post("/recover", url.Values{"email": {"Quinn@Example.com"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("the 4th request for one address = %d (Retry-After %q), want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	api := r.srv.newAPIClient()
	api.call(http.MethodPost, v1+"/recovery", map[string]string{"email": "quinn@example.com"}).
		wantError(t, "the 4th request through the API", http.StatusTooManyRequests, "throttled")
}

// TestEmailResendLimitedOnTheSite: POST /account/email/resend sends at
// most 3 codes per 15 minutes.
func TestEmailResendLimitedOnTheSite(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp)
	b := r.srv.newBrowser()
	b.signup("rosa", emailPassword)
	b.login("rosa", emailPassword, false)
	b.post("/account/email", url.Values{"email": {"rosa@example.com"}, "current_password": {emailPassword}})
	for i := range 3 {
		if res := b.post("/account/email/resend", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("resend %d = %d", i+1, res.StatusCode)
		}
	}
	if res := b.post("/account/email/resend", nil); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the 4th resend = %d, want 429", res.StatusCode)
	}
}

// TestRecoveryCodesNeverLogged: with every log level on, no recovery
// code, sent or typed, and no password reaches a log line.
func TestRecoveryCodesNeverLogged(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	r := startMailRig(t, smtp, withConfig(func(c *config.Config) { c.LogLevel = slog.LevelDebug }))
	api := r.srv.newAPIClient()
	verifiedAccount(t, smtp, api, "sam", "sam@example.com")
	b := r.srv.newBrowser()
	b.post("/recover", url.Values{"email": {"sam@example.com"}})
	code := recoveryCodeOf(t, waitMail(t, smtp, "sam@example.com", "recovery code", 0))
	const canary = "QCANARYQ" // a well-formed code that is wrong
	b.post("/recover/reset", url.Values{"email": {"sam@example.com"}, "code": {canary}, "new_password": {"canary passphrase one"}})
	api.call(http.MethodPost, v1+"/recovery/reset", map[string]string{"email": "sam@example.com", "code": canary, "new_password": "canary passphrase two"})
	b.post("/recover/reset", url.Values{"email": {"sam@example.com"}, "code": {code}, "new_password": {recoveredPassword}})
	waitMail(t, smtp, "sam@example.com", "password was reset", 0)
	logs := r.srv.logs.String()
	if !strings.Contains(logs, "/recover/reset") {
		t.Fatalf("the logs hold no request to /recover/reset: the canary proves nothing\n%s", logs)
	}
	for _, secret := range []string{code, canary, "canary passphrase", recoveredPassword} {
		if strings.Contains(logs, secret) {
			t.Errorf("%q is in the logs", secret)
		}
	}
}
