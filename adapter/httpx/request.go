package httpx

import (
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// The Locals keys this package owns. Typed keys: no other package can
// write them by accident, as a string key could be.
type (
	principalKey struct{}
)

// requestIDKey is where Fiber's requestid middleware keeps the id it made
// (its default ContextKey).
const requestIDKey = "requestid"

// SetPrincipal keeps p as the request's signed-in user, for the handlers
// after the one that resolved it and for the request log.
func SetPrincipal(c *fiber.Ctx, p usecase.Principal) {
	c.Locals(principalKey{}, p)
}

// PrincipalOf returns the request's signed-in user, if one was set.
func PrincipalOf(c *fiber.Ctx) (usecase.Principal, bool) {
	p, ok := c.Locals(principalKey{}).(usecase.Principal)
	return p, ok
}

// UserID returns the id of the request's signed-in user, if any: what the
// request log records.
func UserID(c *fiber.Ctx) (domain.UserID, bool) {
	p, ok := PrincipalOf(c)
	return p.User.ID, ok
}

// RequestID is the id the requestid middleware gave this request, or ""
// for errors raised before routing.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}

// Unmatched is the route of a request that no route took (a 404 or 405),
// so that neither logs nor metrics hold raw paths.
const Unmatched = "unmatched"

// RoutePattern is the pattern of the route that answered c (never the raw
// URL, which may carry query strings a client typed), or Unmatched.
func RoutePattern(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" {
		return r.Path
	}
	return Unmatched
}
