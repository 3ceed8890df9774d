package web

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// twoFactorView is the two-factor page: the authenticator app is on (and
// the form that turns it off), or the secret to add to the app and the
// form that confirms it.
type twoFactorView struct {
	layoutView
	Enabled bool
	// RecoveryCodesLeft is how many unused recovery codes the account
	// has; Recent whether new ones need no code (the session passed a
	// second factor within usecase.RecentSecondFactor).
	RecoveryCodesLeft int
	Recent            bool
	// Secret is the pending secret, as text, grouped for reading.
	Secret string
	// Errors holds the messages of the fields, by name: code,
	// current_password.
	Errors map[string]string
}

// twoFactorPage shows the state of the second factor; with none, it
// starts an enrollment (or shows the pending one again).
func (h *Handler) twoFactorPage(c *fiber.Ctx) error {
	return h.renderTwoFactor(c, http.StatusOK, "", nil)
}

// twoFactorNotice is the confirmation a redirect to the page names.
func twoFactorNotice(c *fiber.Ctx) string { return notices[c.Query("notice")] }

func (h *Handler) renderTwoFactor(c *fiber.Ctx, status int, alert string, fieldErrors map[string]string) error {
	p, _ := httpx.PrincipalOf(c)
	state, err := h.twoFactor.Setup(c.UserContext(), p)
	if err != nil {
		return err
	}
	view := &twoFactorView{
		layoutView:        layoutView{Title: "Two-factor authentication", Alert: alert, Notice: twoFactorNotice(c)},
		Enabled:           state.Enabled,
		RecoveryCodesLeft: state.Status.RecoveryCodesLeft,
		Recent:            state.Status.Recent,
		Secret:            groupSecret(state.Secret),
		Errors:            fieldErrors,
	}
	return h.render(c, status, "twofactor", view)
}

// twoFactorQR serves the pending secret's QR code as a PNG from this
// origin (the CSP allows no data: images), never cached: it holds the
// secret.
func (h *Handler) twoFactorQR(c *fiber.Ctx) error {
	p, _ := httpx.PrincipalOf(c)
	img, err := h.twoFactor.QRCode(c.UserContext(), p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(img)
}

// confirmTOTP turns the authenticator app on when the code fits; the
// browser gets a new session, every other one ends, and the answer shows
// the recovery codes, once.
func (h *Handler) confirmTOTP(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	issued, err := h.twoFactor.Confirm(c.UserContext(), p, formValue(c, fieldCode), client)
	if err != nil {
		return h.twoFactorFailed(c, err)
	}
	return h.showRecoveryCodes(c, issued, notices[noticeTOTPEnabled])
}

// regenerateRecoveryCodes replaces the recovery codes: with a recent
// two-factor login at once, else with a code (field code); the answer
// shows the new codes, once.
func (h *Handler) regenerateRecoveryCodes(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	issued, err := h.twoFactor.RegenerateRecoveryCodes(c.UserContext(), p, formValue(c, fieldCode), client)
	if err != nil {
		var invalid *usecase.InvalidInputError
		if !errors.As(err, &invalid) {
			return err
		}
		// The page has two code fields; this message is the second's.
		pr := describe(err)
		return h.renderTwoFactor(c, pr.Status, pr.Message, map[string]string{fieldRegenerateCode: pr.Fields[fieldCode]})
	}
	return h.showRecoveryCodes(c, issued, notices[noticeRecoveryCodesNew])
}

// fieldRegenerateCode keys the message of the recovery-codes form's code
// field, which posts as code like the other forms' but is shown apart.
const fieldRegenerateCode = "regenerate_code"

// recoveryCodesView is the page that shows new recovery codes, the one
// time they are shown.
type recoveryCodesView struct {
	layoutView
	Codes []string
}

// showRecoveryCodes starts the browser's new session and shows the codes
// in the answer to the POST itself, never stored and never cached: a
// reload asks to send the form again, which issues no codes without a
// second factor.
func (h *Handler) showRecoveryCodes(c *fiber.Ctx, issued usecase.IssuedCodes, notice string) error {
	h.cookies.setSession(c, issued.Token, issued.Session)
	c.Set(fiber.HeaderCacheControl, "no-store")
	view := &recoveryCodesView{
		layoutView: layoutView{Title: "Your recovery codes", Notice: notice},
		Codes:      issued.RecoveryCodes,
	}
	// The page's forms (the layout's logout) are bound to the new
	// session, not to the one just replaced.
	p, _ := httpx.PrincipalOf(c)
	p.Session = issued.Session
	p.User.CredentialVersion = issued.Session.CredentialVersion
	httpx.SetPrincipal(c, p)
	return h.render(c, http.StatusOK, "recovery_codes", view)
}

// disableTOTP turns the authenticator app off after the password and a
// current code.
func (h *Handler) disableTOTP(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	token, s, err := h.twoFactor.Disable(c.UserContext(), p,
		formValue(c, fieldCurrentPassword), formValue(c, fieldCode), client)
	if err != nil {
		return h.twoFactorFailed(c, err)
	}
	h.cookies.setSession(c, token, s)
	return accountDone(c, noticeTOTPDisabled)
}

// twoFactorFailed re-renders the page with the messages of invalid input
// (422); anything else goes to the error page.
func (h *Handler) twoFactorFailed(c *fiber.Ctx, err error) error {
	var invalid *usecase.InvalidInputError
	if !errors.As(err, &invalid) {
		return err
	}
	p := describe(err)
	return h.renderTwoFactor(c, p.Status, p.Message, p.Fields)
}

// groupSecret writes a base32 secret in groups of four, easier to type.
func groupSecret(s string) string {
	var out []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}
