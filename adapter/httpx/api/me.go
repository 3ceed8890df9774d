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
	return c.JSON(out)
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
