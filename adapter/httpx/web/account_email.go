package web

import (
	"errors"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// The Email section's password fields share the name current_password
// with the password change form; their messages are shown under these
// keys, so each lands next to its own form.
const (
	errorEmailPassword  = "email_current_password"
	errorRemovePassword = "remove_current_password"
)

// changeEmail mails a code to a new address after checking the current
// password. An address another account verified answers the same.
func (h *Handler) changeEmail(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	err := h.emails.Change(c.UserContext(), p, formValue(c, fieldEmail), formValue(c, fieldCurrentPassword), client)
	if err != nil {
		return h.emailFailed(c, err, errorEmailPassword, "")
	}
	return accountDone(c, noticeEmailCodeSent)
}

// verifyEmailForm is the page the link in the message opens: the account
// page with the code filled in. A GET never consumes a code.
func (h *Handler) verifyEmailForm(c *fiber.Ctx) error {
	code := formCode(c.Query(fieldCode))
	return h.renderAccountWith(c, fiber.StatusOK, "", "", nil, savedForms(c, code))
}

// formCode keeps a code for a form: at most a code's worth of text.
func formCode(raw string) string {
	if len(raw) > 32 {
		return ""
	}
	return string([]byte(raw)) // Fiber reuses the query's bytes
}

// verifyEmail makes the pending address the account's with its code.
func (h *Handler) verifyEmail(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	code := formValue(c, fieldCode)
	if err := h.emails.Verify(c.UserContext(), p, code, client); err != nil {
		return h.emailFailed(c, err, "", formCode(code))
	}
	return accountDone(c, noticeEmailVerified)
}

// resendEmailCode replaces the pending code by a new one.
func (h *Handler) resendEmailCode(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	if err := h.emails.Resend(c.UserContext(), p, client); err != nil {
		return h.emailFailed(c, err, "", "")
	}
	return accountDone(c, noticeEmailCodeSent)
}

// removeEmail removes the address after checking the current password.
func (h *Handler) removeEmail(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	if err := h.emails.Remove(c.UserContext(), p, formValue(c, fieldCurrentPassword), client); err != nil {
		return h.emailFailed(c, err, errorRemovePassword, "")
	}
	return accountDone(c, noticeEmailRemoved)
}

// emailFailed re-renders the account page for invalid input, with the
// current password's message under passwordKey; anything else goes to
// the error page.
func (h *Handler) emailFailed(c *fiber.Ctx, err error, passwordKey, code string) error {
	var invalid *usecase.InvalidInputError
	if !errors.As(err, &invalid) {
		return err
	}
	p := describe(err)
	fields := map[string]string{}
	for k, v := range p.Fields {
		if k == fieldCurrentPassword && passwordKey != "" {
			k = passwordKey
		}
		fields[k] = v
	}
	return h.renderAccountWith(c, p.Status, "", p.Message, fields, savedForms(c, code))
}
