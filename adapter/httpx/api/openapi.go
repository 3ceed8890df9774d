package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDocument is openapi.json, the OpenAPI 3.1 description of every
// endpoint, served byte for byte as it is in the repository.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the description; it needs no token.
func (h *Handler) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(openAPIDocument)
}
