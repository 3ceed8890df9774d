package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/usecase"
)

var testRecoveryCodes = []string{"ABCD-EFGH-JKLM", "NPQR-STUV-WXYZ"}

// TestRecoveryCodesShownOnce protects the answers that issue recovery
// codes: POST /account/2fa and POST /account/2fa/recovery-codes show them
// in the answer itself, never cached, and start the new session.
func TestRecoveryCodesShownOnce(t *testing.T) {
	t.Parallel()
	for _, target := range []string{"/account/2fa", "/account/2fa/recovery-codes"} {
		s := newTestSite(t)
		s.twoFactor.RecoveryCodes = testRecoveryCodes
		browser, _ := s.signIn(t, alice())
		r := browser.post(t, target, url.Values{"code": {"123456"}})
		r.wantPage(t, "POST "+target, http.StatusOK, "This is the only time they are shown.")
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("POST %s Cache-Control = %q, want no-store", target, r.header.Get("Cache-Control"))
		}
		for _, c := range testRecoveryCodes {
			if !strings.Contains(r.body, `<code class="recovery-code">`+c+`</code>`) {
				t.Errorf("POST %s does not show recovery code %s", target, c)
			}
		}
		if r.cookie(s.cookieName(sessionCookieName)) == nil {
			t.Errorf("POST %s sets no session cookie: the new session is not the browser's", target)
		}
	}
}

// TestRegenerateRecoveryCodesRefused protects the form's errors: a code
// refused is a 422 on the two-factor page with the message at the
// recovery-codes form's own field, not at the disable form's, and no
// codes, beside the count left; an anonymous POST goes to the login without a call.
func TestRegenerateRecoveryCodesRefused(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	s.twoFactor.RecoveryCodes = testRecoveryCodes
	s.twoFactor.On, s.twoFactor.Status = true, usecase.TwoFactorStatus{RecoveryCodesLeft: 1}
	s.twoFactor.Err = &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputCode: "That code is not correct."}}
	browser, _ := s.signIn(t, alice())
	r := browser.post(t, "/account/2fa/recovery-codes", url.Values{"code": {"000000"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("POST /account/2fa/recovery-codes (refused) = %d, want 422", r.status)
	}
	if got := r.fieldError("regenerate-code"); got != "That code is not correct." {
		t.Errorf("regenerate-code error = %q, want the message", got)
	}
	if got := r.fieldError("code"); got != "" {
		t.Errorf("the disable form's code field shows %q, want nothing", got)
	}
	if strings.Contains(r.body, `class="recovery-code"`) {
		t.Errorf("a refused POST shows recovery codes")
	}
	if !r.says("1 recovery code is left.") {
		t.Errorf("the page does not say how many recovery codes are left: %s", r.text())
	}

	anon := newTestSite(t)
	anon.anonymous(t).post(t, "/account/2fa/recovery-codes", url.Values{"code": {"1"}}).wantRedirect(t, "POST /account/2fa/recovery-codes (anonymous)", "/login")
	wantNoCall(t, &anon.twoFactor.Calls, "RegenerateRecoveryCodes")
}
