package api

import (
	"net/http"
	"time"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// The headers of a successful password change, which replaces the
// caller's token (see changePassword).
const (
	headerToken          = "Gatehouse-Token"
	headerTokenExpiresAt = "Gatehouse-Token-Expires-At"
)

// me shows the caller's account, with the login before the latest one (as
// the site's dashboard does, so a user notices a login that was not
// theirs) and whether the password must be changed before anything else.
func (h *Handler) me(c *fiber.Ctx) error {
	return h.writeMe(c, principal(c))
}

// writeMe writes p's account as GET /me shows it.
func (h *Handler) writeMe(c *fiber.Ctx, p usecase.Principal) error {
	previous, ok, err := h.account.PreviousLogin(c.UserContext(), p)
	if err != nil {
		return err
	}
	out := meView{
		ID:                 int64(p.User.ID),
		Username:           p.User.Username.String(),
		Role:               string(p.User.Role),
		CreatedAt:          p.User.CreatedAt.UTC(),
		MustChangePassword: p.User.MustChangePassword,
	}
	if !p.User.DisplayName.IsZero() {
		name := p.User.DisplayName.String()
		out.DisplayName = &name
	}
	if ok {
		out.LastLogin = &loginView{At: previous.At.UTC(), IP: previous.IP}
	}
	if h.emails != nil {
		st, err := h.emails.Status(c.UserContext(), p)
		if err != nil {
			return err
		}
		switch {
		case !st.Verified.IsZero():
			a := st.Verified.String()
			out.Email, out.EmailVerified = &a, true
		case !st.Pending.IsZero():
			a := st.Pending.String()
			out.Email = &a
		}
	}
	return c.JSON(out)
}

// changeEmail starts the verification of a new address after checking
// the current password: 202, a code is on its way. An address another
// account verified answers the same.
func (h *Handler) changeEmail(c *fiber.Ctx) error {
	var in emailChangeRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.emails.Change(c.UserContext(), principal(c), in.Email, in.CurrentPassword, h.client(c)); err != nil {
		return err
	}
	return c.Status(http.StatusAccepted).JSON(acceptedView{Message: "If the address can receive mail, a code is on its way to it."})
}

// verifyEmail makes the pending address the account's with the mailed
// code: 204, or a 422 on code.
func (h *Handler) verifyEmail(c *fiber.Ctx) error {
	var in emailVerifyRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.emails.Verify(c.UserContext(), principal(c), in.Code, h.client(c)); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// removeEmail removes the address after checking the current password.
func (h *Handler) removeEmail(c *fiber.Ctx) error {
	var in emailRemoveRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.emails.Remove(c.UserContext(), principal(c), in.CurrentPassword, h.client(c)); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

// changePassword replaces the password after checking the current one
// (a wrong one is a 422 on current_password, as on the site). Every other
// session ends. The use case also replaces the caller's session, since a
// credential change issues a new token everywhere: the 204 carries the new
// token in Gatehouse-Token and its deadline in Gatehouse-Token-Expires-At,
// and the token that made this request no longer works.
func (h *Handler) changePassword(c *fiber.Ctx) error {
	var in passwordChangeRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	token, s, err := h.account.ChangePassword(c.UserContext(), principal(c), in.CurrentPassword, in.NewPassword, h.client(c))
	if err != nil {
		return err
	}
	c.Set(headerToken, token.Reveal())
	c.Set(headerTokenExpiresAt, s.ExpiresAt.UTC().Format(time.RFC3339Nano))
	return c.SendStatus(http.StatusNoContent)
}
