package httpserver

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"
)

// ReadinessChecker tells whether the service can serve requests now.
type ReadinessChecker interface {
	Check(ctx context.Context) error
}

// readyRetryAfter is the Retry-After, in seconds, of a failed /readyz.
const readyRetryAfter = "5"

// registerHealth adds /healthz and /readyz to app. They are registered
// before every other handler, so they pass through no session, CSRF or
// request-log middleware: probes need no cookie and would drown the log.
func registerHealth(app *fiber.App, ready ReadinessChecker, log *slog.Logger) {
	app.Get("/healthz", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"status": "ok"})
	})
	app.Get("/readyz", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "no-store")
		if err := ready.Check(c.UserContext()); err != nil {
			// Debug: a probe every few seconds during an outage must not
			// flood the log; the requests that fail are logged anyway.
			log.DebugContext(c.UserContext(), "not ready", "err", err)
			c.Set(fiber.HeaderRetryAfter, readyRetryAfter)
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ok"})
	})
}
