package web

import (
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// recoverySent is what the reset form says after a request, whatever the
// address: nothing on the page tells whether an account has it.
const recoverySent = "If an account has this address verified, we have sent it a code. It works for 10 minutes. Enter it below with a new password."

// recoverForm asks for the address of the account to recover.
func (h *Handler) recoverForm(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "recover", &recoverView{layoutView: layoutView{Title: "Recover your account"}})
}

// requestRecovery mails a code to the address when an account has it
// verified and answers the reset form, the same page whichever the
// address (the address the visitor typed is all it shows of it). Text
// that is no address is a 422 and too many requests a 429, on the
// request form: neither depends on an account.
func (h *Handler) requestRecovery(c *fiber.Ctx) error {
	email := formValue(c, fieldEmail)
	if err := h.recovery.Request(c.UserContext(), email, h.client(c)); err != nil {
		p := describe(err)
		if p.Status >= 500 {
			return err
		}
		httpx.SetRetryAfter(c, p)
		view := &recoverView{layoutView: layoutView{Title: "Recover your account", Alert: p.Message}, Email: email, Errors: p.Fields}
		return h.render(c, p.Status, "recover", view)
	}
	return h.render(c, http.StatusOK, "recover_reset", &resetView{
		layoutView: layoutView{Title: "Choose a new password", Notice: recoverySent},
		Email:      email,
	})
}

// resetForm is the reset form on its own, which the message links to.
// The code is typed in: no link carries it.
func (h *Handler) resetForm(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "recover_reset", &resetView{layoutView: layoutView{Title: "Choose a new password"}})
}

// resetPassword sets the new password with the code and sends the
// visitor to log in with it: a reset logs no one in. A wrong code or a
// password the policy refuses re-renders the form (422), keeping the
// address and the code, never the password.
func (h *Handler) resetPassword(c *fiber.Ctx) error {
	email, code := formValue(c, fieldEmail), formValue(c, fieldCode)
	err := h.recovery.Reset(c.UserContext(), usecase.ResetInput{
		Email: email, Code: code, NewPassword: formValue(c, fieldNewPassword), Client: h.client(c),
	})
	if err == nil {
		return c.Redirect("/login?notice="+noticePasswordReset, fiber.StatusSeeOther)
	}
	p := describe(err)
	if p.Status >= 500 {
		return err
	}
	httpx.SetRetryAfter(c, p)
	return h.render(c, p.Status, "recover_reset", &resetView{
		layoutView: layoutView{Title: "Choose a new password", Alert: p.Message},
		Email:      email,
		Code:       formCode(code),
		Errors:     p.Fields,
	})
}
