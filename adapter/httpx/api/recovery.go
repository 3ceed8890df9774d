package api

import (
	"net/http"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// recoverySent is the one answer to every accepted recovery request.
const recoverySent = "If an account has this address verified, a code is on its way to it. It works for 10 minutes."

// requestRecovery mails a recovery code to the address when an account
// has it verified: 202 with the same body for every address. Text that
// is no address is a 422 on email, too many requests a 429; neither
// depends on an account.
func (h *Handler) requestRecovery(c *fiber.Ctx) error {
	var in recoveryRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.recovery.Request(c.UserContext(), in.Email, h.client(c)); err != nil {
		return err
	}
	return c.Status(http.StatusAccepted).JSON(acceptedView{Message: recoverySent})
}

// resetPassword sets a new password with a recovery code: 204, and
// every session of the account, this API's tokens included, has ended; a
// wrong, expired or used code (or an address no account has) is a 422 on
// code, a password the policy refuses a 422 on new_password.
func (h *Handler) resetPassword(c *fiber.Ctx) error {
	var in resetRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	err := h.recovery.Reset(c.UserContext(), usecase.ResetInput{
		Email: in.Email, Code: in.Code, NewPassword: in.NewPassword, Client: h.client(c),
	})
	if err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
