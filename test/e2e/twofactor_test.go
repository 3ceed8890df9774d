package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/gatehouse/gatehouse/adapter/totp"
)

// TestTwoFactorInTheBrowser enrolls an authenticator app as a person
// would, with the keyboard: reads the key from the page, computes the
// code, confirms it; logs out; logs in with the password and then a code
// (a wrong one first); logs out and in again with a recovery code read
// from the page the enrollment showed, sees how many are left and makes
// new ones. Every new page passes the checks, axe included, and the QR
// image loads under the CSP.
func TestTwoFactorInTheBrowser(t *testing.T) {
	s := startSite(t)
	b := s.launch(t, "", desktop)

	b.wantAt(b.open("/signup"), http.StatusOK, "/signup")
	b.signUp("alice", alicePassword)
	b.wantAt(b.logIn("alice", alicePassword, false), http.StatusOK, "/")
	b.wantAt(b.open("/account"), http.StatusOK, "/account")
	b.wantAt(b.activate(`main a[href="/account/2fa"]`), http.StatusOK, "/account/2fa")
	b.checkPage("2fa-enroll", "")
	if w := eval[float64](b, `document.querySelector('img[src="/account/2fa/qr.png"]').naturalWidth`); w == 0 {
		t.Errorf("the QR code image did not load")
	}
	secret := strings.ReplaceAll(b.text("#totp-secret"), " ", "")
	code := func(at time.Time) string {
		c, err := totp.Code(secret, at)
		if err != nil {
			t.Fatalf("totp.Code(secret read from the page %q) error = %v", secret, err)
		}
		return c
	}
	b.typeInto("#code", code(time.Now()))
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/account/2fa")
	b.wantText(`[role="status"]`, "Two-factor authentication is on.")
	recovery := eval[[]string](b, `[...document.querySelectorAll('.recovery-code')].map(e => e.textContent)`)
	if len(recovery) != 10 {
		t.Fatalf("the enrollment shows %d recovery codes, want 10", len(recovery))
	}
	b.checkPage("2fa-recovery-codes", "")
	b.wantAt(b.activate(`main a[href="/account/2fa"]`), http.StatusOK, "/account/2fa")
	b.wantText("#recovery-left", "10 recovery codes are left.")
	b.checkPage("2fa-on", "")

	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	b.wantAt(b.logIn("alice", alicePassword, false), http.StatusOK, "/login/2fa")
	b.checkPage("login-2fa", "")
	b.typeInto("#code", "000000")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusUnprocessableEntity, "/login/2fa")
	b.wantFieldError("code", "code-error", "That code is not correct.")
	b.checkPage("login-2fa-wrong-code", "")
	b.typeInto("#code", code(time.Now().Add(30*time.Second))) // newer than the enrollment's
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/")
	b.wantText("main", "Welcome, alice")

	// The phone is lost: a recovery code, typed as a person might.
	b.wantAt(b.activate(`header form[action="/logout"] button`), http.StatusOK, "/login?notice=logged-out")
	b.wantAt(b.logIn("alice", alicePassword, false), http.StatusOK, "/login/2fa")
	b.typeInto("#code", strings.ToLower(recovery[0]))
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/")
	b.wantText("main", "Welcome, alice")
	b.wantAt(b.open("/account/2fa"), http.StatusOK, "/account/2fa")
	b.wantText("#recovery-left", "9 recovery codes are left.")
	b.wantAt(b.activate(`form[action="/account/2fa/recovery-codes"] button`), http.StatusOK, "/account/2fa/recovery-codes")
	fresh := eval[[]string](b, `[...document.querySelectorAll('.recovery-code')].map(e => e.textContent)`)
	if len(fresh) != 10 || fresh[0] == recovery[0] {
		t.Errorf("new recovery codes = %v, want ten new ones", fresh)
	}
	b.wantText(`[role="status"]`, "You have new recovery codes")
}
