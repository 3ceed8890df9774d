package web

import (
	"errors"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// saveProfile sets the display name to the display_name field, or clears
// it when the field is empty, and goes back to the account page, which
// says which it did. A refused name re-renders the account page (422)
// with the name as typed and the message next to the field; nothing is
// saved. A form without the field is a 422 page (httpx.ErrBadForm): only
// an empty field clears the name. A user who must change their password
// is sent to do that first, as from every other page.
func (h *Handler) saveProfile(c *fiber.Ctx) error {
	p, client := h.actingUser(c)
	if p.User.MustChangePassword {
		return c.Redirect(mustChangePasswordURL, fiber.StatusSeeOther)
	}
	if !c.Request().PostArgs().Has(fieldDisplayName) {
		return httpx.ErrBadForm
	}
	typed := formValue(c, fieldDisplayName)
	u, err := h.account.SetDisplayName(c.UserContext(), p, typed, client)
	var invalid *usecase.InvalidInputError
	switch {
	case errors.As(err, &invalid):
		problem := describe(err)
		return h.renderAccountWith(c, problem.Status, "", problem.Message, problem.Fields, accountForms{DisplayName: typed})
	case err != nil:
		return err
	case u.DisplayName.IsZero():
		return accountDone(c, noticeDisplayNameCleared)
	}
	return accountDone(c, noticeDisplayNameSaved)
}
