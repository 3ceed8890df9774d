package httpserver

import (
	"github.com/gatehouse/gatehouse/adapter/api"
	"github.com/gofiber/fiber/v2"
)

// errorHandler is the root app's error handler, which Fiber calls for
// every error it does not hand to a mounted app's handler by path prefix
// (the API's, for /api): the site's page, except in two cases that get
// the API's JSON, so that an /api request never gets HTML. Fiber routes
// without regard to case but compares that prefix with regard to it, so
// /API/... lands here. And a request the server could not read at all
// (broken chunked framing, a chunked body over BodyLimit, headers too
// large) has lost its path: fasthttp resets it before reporting the
// error. Browsers do not send those; programs do.
func errorHandler(site, jsonAPI fiber.ErrorHandler) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		if api.Serves(c.Path()) || requestLost(c) {
			return jsonAPI(c, err)
		}
		return site(c, err)
	}
}

// requestLost reports whether the request in c is one fasthttp reset
// after a read error: every request it parsed has header lines (HTTP/1.1
// requires Host), a reset one has none.
func requestLost(c *fiber.Ctx) bool {
	return len(c.Request().Header.RawHeaders()) == 0
}
