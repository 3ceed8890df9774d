package api

import (
	"net/http"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// createUser signs up, as the site's signup form does: the same rules,
// the same per-client limit, the same hashing pool. A taken name is a 409
// username_taken; broken rules are a 422 invalid_input naming each field.
func (h *Handler) createUser(c *fiber.Ctx) error {
	var in newUserRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := h.registrar.Register(c.UserContext(), usecase.RegisterInput{
		Username: in.Username,
		Password: in.Password,
		Email:    in.Email,
		Client:   h.client(c),
	})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(newUserView(u))
}
