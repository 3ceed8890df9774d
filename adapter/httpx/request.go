package httpx

import (
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// The Locals keys this package owns. Typed keys: no other package can
// write them by accident, as a string key could be.
type (
	principalKey struct{}
	requestIDKey struct{}
)

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

// AssignRequestID is the one request id middleware of both deliveries:
// it gives the request an id of the server's making, which RequestID
// returns, and sends it as X-Request-ID. An X-Request-ID the client sent
// is ignored (Fiber's requestid middleware would keep it, up to the
// header limit): the id the log, a 500 page and the API's 500 message
// carry names one request of ours, so a client can neither choose it
// nor make it collide with another's. A request that already has an id
// keeps it.
func AssignRequestID(c *fiber.Ctx) error {
	id := RequestID(c)
	if id == "" {
		id = utils.UUID()
		c.Locals(requestIDKey{}, id)
	}
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

// RequestID is the id AssignRequestID gave this request, or "" for errors
// raised before routing.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey{}).(string)
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
