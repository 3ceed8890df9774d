package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

// The codes of the error body. openapi.json lists the same set; a client
// branches on the code, never on the message, which is for people.
const (
	codeInvalidInput         = "invalid_input"
	codeUsernameTaken        = "username_taken"
	codeInvalidCredentials   = "invalid_credentials"
	codeThrottled            = "throttled"
	codeUnauthorized         = "unauthorized"
	codeForbidden            = "forbidden"
	codeNotFound             = "not_found"
	codeMethodNotAllowed     = "method_not_allowed"
	codePayloadTooLarge      = "payload_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeUnavailable          = "unavailable"
	codeBadRequest           = "bad_request"
	codeInternal             = "internal"
)

// problem is how an error is shown to a client.
type problem struct {
	Status  int
	Code    string
	Message string
	// Fields holds a message per offending field of an invalid_input.
	Fields map[string]string
	// RetryAfter is the Retry-After of a 429 or 503, in seconds.
	RetryAfter int
}

// The adapter's own errors; the table below turns each into a problem.
var (
	// errNoToken answers a protected endpoint called without a bearer
	// token (or with another authentication scheme).
	errNoToken = fmt.Errorf("api: no bearer token: %w", domain.ErrUnauthenticated)
	// errBadToken answers a bearer token that is malformed, unknown,
	// expired or revoked.
	errBadToken = fmt.Errorf("api: bearer token rejected: %w", domain.ErrUnauthenticated)
	// errNoRoute answers a path under /api that names no endpoint.
	errNoRoute = fiber.NewError(http.StatusNotFound, "api: no such endpoint")
	// errMethodNotAllowed answers an endpoint called with a method it
	// does not take.
	errMethodNotAllowed = fiber.NewError(http.StatusMethodNotAllowed, "api: method not allowed")
	// errMediaType answers a request body that is not application/json.
	errMediaType = fiber.NewError(http.StatusUnsupportedMediaType, "api: body must be application/json")
)

// errorTable maps domain errors, and the adapter's own, to what a client
// sees. Order matters only for errors that wrap several of these: the two
// token errors come before the ErrUnauthenticated they wrap.
var errorTable = []struct {
	target error
	problem
}{
	{errNoToken, problem{Status: http.StatusUnauthorized, Code: codeUnauthorized, Message: "This endpoint needs an Authorization: Bearer token."}},
	{errBadToken, problem{Status: http.StatusUnauthorized, Code: codeUnauthorized, Message: "The bearer token is invalid, expired or revoked. Log in again."}},
	{domain.ErrUnauthenticated, problem{Status: http.StatusUnauthorized, Code: codeUnauthorized, Message: "Your session has ended. Log in again."}},
	{domain.ErrInvalidCredentials, problem{Status: http.StatusUnauthorized, Code: codeInvalidCredentials, Message: "Invalid username or password."}},
	{domain.ErrAccountDisabled, problem{Status: http.StatusForbidden, Code: codeForbidden, Message: "This account has been disabled."}},
	{domain.ErrForbidden, problem{Status: http.StatusForbidden, Code: codeForbidden, Message: "You may not do this."}},
	{domain.ErrUsernameTaken, problem{Status: http.StatusConflict, Code: codeUsernameTaken, Message: "That username is already taken."}},
	{domain.ErrNotFound, problem{Status: http.StatusNotFound, Code: codeNotFound, Message: "There is nothing at this address."}},
	{domain.ErrUnavailable, problem{Status: http.StatusServiceUnavailable, Code: codeUnavailable, Message: "The service is busy. Please try again in a moment."}},
}

// statusProblems covers errors that carry only a status: the adapter's
// routing errors and what Fiber's server answers before any route runs
// (a body over the limit, headers too large, a malformed request).
var statusProblems = map[int]problem{
	http.StatusBadRequest:                  {Status: http.StatusBadRequest, Code: codeBadRequest, Message: "The request could not be understood."},
	http.StatusNotFound:                    {Status: http.StatusNotFound, Code: codeNotFound, Message: "There is nothing at this address."},
	http.StatusMethodNotAllowed:            {Status: http.StatusMethodNotAllowed, Code: codeMethodNotAllowed, Message: "This endpoint does not take that method; see the Allow header."},
	http.StatusRequestTimeout:              {Status: http.StatusRequestTimeout, Code: codeBadRequest, Message: "The request took too long to arrive."},
	http.StatusRequestEntityTooLarge:       {Status: http.StatusRequestEntityTooLarge, Code: codePayloadTooLarge, Message: "The request body is larger than 16 KiB."},
	http.StatusUnsupportedMediaType:        {Status: http.StatusUnsupportedMediaType, Code: codeUnsupportedMediaType, Message: "The request body must be JSON, sent as Content-Type: application/json."},
	http.StatusUnprocessableEntity:         {Status: http.StatusUnprocessableEntity, Code: codeInvalidInput, Message: "The request could not be processed."},
	http.StatusRequestHeaderFieldsTooLarge: {Status: http.StatusRequestHeaderFieldsTooLarge, Code: codeBadRequest, Message: "The request headers are too large."},
	http.StatusServiceUnavailable:          {Status: http.StatusServiceUnavailable, Code: codeUnavailable, Message: "The service is busy. Please try again in a moment."},
}

var internalProblem = problem{Status: http.StatusInternalServerError, Code: codeInternal, Message: "The server could not complete the request."}

// retryAfterUnavailable is the Retry-After of every 503, in seconds.
const retryAfterUnavailable = 5

// describe returns how err is shown: the one place errors become statuses
// and codes. Unknown errors are a 500 whose message says nothing about the
// cause.
func describe(err error) problem {
	var input *inputError
	if errors.As(err, &input) {
		return problem{Status: http.StatusUnprocessableEntity, Code: codeInvalidInput, Message: input.message, Fields: input.fields}
	}
	var invalid *domain.ValidationError
	if errors.As(err, &invalid) {
		return problem{Status: http.StatusUnprocessableEntity, Code: codeInvalidInput,
			Message: "Some fields are not valid; see fields.", Fields: invalid.Fields}
	}
	var throttled *domain.ThrottledError
	if errors.As(err, &throttled) {
		return problem{Status: http.StatusTooManyRequests, Code: codeThrottled,
			Message: "Too many attempts. Please wait and try again; see Retry-After.", RetryAfter: throttled.RetryAfterSeconds()}
	}
	p, ok := lookup(err)
	if !ok {
		p = internalProblem
	}
	if p.Status == http.StatusServiceUnavailable {
		p.RetryAfter = retryAfterUnavailable
	}
	return p
}

// lookup finds err in the error table, or its status among the known ones.
func lookup(err error) (problem, bool) {
	for _, row := range errorTable {
		if errors.Is(err, row.target) {
			return row.problem, true
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if p, ok := statusProblems[fe.Code]; ok {
			return p, true
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return problem{Status: fe.Code, Code: codeBadRequest, Message: "The request could not be completed."}, true
		}
	}
	return problem{}, false
}

// errorBody is the one shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// ErrorHandler answers every error under /api with the JSON error body;
// Fiber picks it for those paths by the mount prefix, also for errors its
// server raises before routing (413). Server errors are logged once, with
// the request id the message shows; their text never reaches the client.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	p := describe(err)
	setSecurityHeaders(c)
	message := p.Message
	if p.Status >= 500 {
		id := requestID(c)
		h.log.ErrorContext(c.UserContext(), "api: request failed",
			"request_id", id, "method", c.Method(), "route", routePath(c), "status", p.Status, "err", err)
		if id != "" {
			message += " Request id: " + id + "."
		}
	}
	switch p.Status {
	case http.StatusUnauthorized:
		c.Set(fiber.HeaderWWWAuthenticate, wwwAuthenticate(err))
	case http.StatusMethodNotAllowed:
		c.Set(fiber.HeaderAllow, allowedMethods(h.routes(), c.Path()))
	}
	if p.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(p.RetryAfter))
	}
	fields := p.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	return c.Status(p.Status).JSON(errorBody{Error: errorDetail{Code: p.Code, Message: message, Fields: fields}})
}

// wwwAuthenticate is the challenge of a 401 (RFC 6750): a rejected token
// also gets error="invalid_token", so a client knows to log in again
// rather than to add a header it forgot.
func wwwAuthenticate(err error) string {
	if errors.Is(err, errBadToken) {
		return `Bearer realm="gatehouse", error="invalid_token"`
	}
	return `Bearer realm="gatehouse"`
}

// routePath is the matched route pattern (never the raw URL, which may
// carry query strings a client typed).
func routePath(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" {
		return r.Path
	}
	return "unmatched"
}
