package e2e

import (
	"context"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/smtptest"
	"github.com/gatehouse/gatehouse/usecase"
	"go.uber.org/fx"
)

// recoveryCode finds the code in a recovery message.
var recoveryCode = regexp.MustCompile(`\b[2-9A-HJ-NP-Z]{8}\b`)

// TestForgotPasswordEndToEnd: from the login page's "Forgot your
// password?" link, ask for a code, read it from the SMTP server, type a
// wrong one and then the right one with a new password, land on the
// login page with its confirmation and log in with the new password, all
// with the keyboard alone; every page of the way passes the audit (axe,
// console, CSP, phone width).
func TestForgotPasswordEndToEnd(t *testing.T) {
	var (
		admin  *usecase.Admin
		emails *usecase.AccountEmail
	)
	smtp := smtptest.Start(t, smtptest.STARTTLS)
	s := startSiteWithMail(t, smtp, fx.Populate(&admin, &emails))
	ctx := context.Background()
	ivy, err := admin.Create(ctx, usecase.Operator, "ivy", alicePassword, domain.RoleUser, usecase.Client{})
	if err != nil {
		t.Fatal(err)
	}
	if err := emails.SetByOperator(ctx, ivy, "ivy@example.com", true); err != nil {
		t.Fatal(err)
	}
	const newPassword = "a recovered passphrase"
	b := s.launch(t, "", desktop)
	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	b.wantAt(b.activate(`a[href="/recover"]`), http.StatusOK, "/recover")
	b.checkPage("recover", "")

	b.typeInto("#email", "ivy@example.com")
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/recover")
	b.wantText(`[role="status"]`, "If an account has this address verified")
	if got := b.attr("#email", "value"); got != "ivy@example.com" {
		t.Errorf("the reset form's address = %q, want the one typed", got)
	}
	b.wantFocus("#code", "the code is what to type next")
	b.checkPage("recover-sent", "")

	msgs := smtp.Wait(t, 1, 10*time.Second)
	p, err := smtptest.Parse(msgs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	code := recoveryCode.FindString(p.Text)
	if msgs[0].To[0] != "ivy@example.com" || code == "" {
		t.Fatalf("message to %v %q, want ivy's recovery code", msgs[0].To, p.Text)
	}

	wrong := "ZZZZZZZZ"
	if wrong == code {
		wrong = "YYYYYYYY"
	}
	b.typeText(wrong)
	b.typeInto("#new_password", newPassword)
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusUnprocessableEntity, "/recover/reset")
	b.wantFieldError("code", "code-error", "This code is not right")
	if got := eval[string](b, `document.getElementById("new_password").value`); got != "" {
		t.Errorf("after the refusal the password field holds %d characters, want it empty", len(got))
	}
	b.checkPage("recover-wrong-code", "")

	b.wantFocus("#code", "the wrong code is what to fix")
	b.do("select the code", chromedp.KeyEvent("a", chromedp.KeyModifiers(kb.ModifierCtrl)))
	b.typeText(code)
	b.typeInto("#new_password", newPassword)
	b.wantAt(b.pressAndLoad(kb.Enter), http.StatusOK, "/login?notice=password-reset")
	b.wantText(`[role="status"]`, "Your password has been changed. Please log in.")
	b.checkPage("recover-done", "")

	b.wantAt(b.logIn("ivy", newPassword, false), http.StatusOK, "/")
}
