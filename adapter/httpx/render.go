package httpx

import (
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// APIPrefix is the path the JSON API is mounted at; the site serves
// everything else.
const APIPrefix = "/api"

// IsAPIPath reports whether path is the API's: APIPrefix itself or below
// it, without regard to case, as Fiber routes.
func IsAPIPath(path string) bool {
	path = strings.ToLower(path)
	return path == APIPrefix || strings.HasPrefix(path, APIPrefix+"/")
}

// ErrorHandler is the server's error handler: the API's rendering for
// the API's paths, the site's for the rest. Fiber also hands a mounted
// app's errors to that app's handler by a prefix it compares with regard
// to case, so this catches /API/... too. A request the server could not
// read at all (broken chunked framing, a chunked body over BodyLimit,
// headers too large) has lost its path, since fasthttp resets it before
// reporting the error; browsers do not send those, programs do, so it
// gets the API's JSON.
func ErrorHandler(site, api fiber.ErrorHandler) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		if IsAPIPath(c.Path()) || requestLost(c) {
			return api(c, err)
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

// Prepare does what every rendering of p does first: it logs a server
// error once, with the request id the client is shown, and sets the
// headers every error response carries (no caching; Retry-After when p
// has one). The error's text goes to the log only, never to the client.
func Prepare(c *fiber.Ctx, log *slog.Logger, p Problem, err error) {
	if p.Status >= 500 {
		log.ErrorContext(c.UserContext(), "httpx: request failed", "request_id", RequestID(c),
			"method", c.Method(), "route", RoutePattern(c), "status", p.Status, "err", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	SetRetryAfter(c, p)
}

// SetRetryAfter tells the client when to come back after p, a 429 or 503;
// it does nothing for a problem without a Retry-After.
func SetRetryAfter(c *fiber.Ctx, p Problem) {
	if p.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
	}
}

// errorBody is the one shape of every JSON error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// WriteJSON sends p as the JSON error body: its status, its code, its
// message (for a server error, with the request id to quote) and its
// fields (an empty object when there are none).
func WriteJSON(c *fiber.Ctx, p Problem) error {
	message := p.Message
	if id := RequestID(c); p.Status >= 500 && id != "" {
		message += " Request id: " + id + "."
	}
	fields := p.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	return c.Status(p.Status).JSON(errorBody{Error: errorDetail{Code: p.Code, Message: message, Fields: fields}})
}
