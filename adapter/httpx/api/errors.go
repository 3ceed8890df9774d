package api

import (
	"errors"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// The API's own routing errors: plain statuses, described by the kernel's
// table (httpx.Describe) like every other error.
var (
	// errNoRoute answers a path under /api that names no endpoint.
	errNoRoute = fiber.NewError(http.StatusNotFound, "api: no such endpoint")
	// errMethodNotAllowed answers an endpoint called with a method it
	// does not take.
	errMethodNotAllowed = fiber.NewError(http.StatusMethodNotAllowed, "api: method not allowed")
)

// The names of the JSON fields that carry the use cases' inputs.
const (
	fieldUsername        = "username"
	fieldPassword        = "password"
	fieldChallenge       = "challenge"
	fieldCode            = "code"
	fieldCurrentPassword = "current_password"
	fieldNewPassword     = "new_password"
	fieldDeviceToken     = "device_token"
	fieldDisplayName     = "display_name"
	fieldEmail           = "email"
)

// jsonFields names, for an invalid_input's fields, the JSON field that
// carried each input of a use case.
var jsonFields = map[usecase.Input]string{
	usecase.InputUsername:        fieldUsername,
	usecase.InputPassword:        fieldPassword,
	usecase.InputCode:            fieldCode,
	usecase.InputCurrentPassword: fieldCurrentPassword,
	usecase.InputNewPassword:     fieldNewPassword,
	usecase.InputDisplayName:     fieldDisplayName,
	usecase.InputEmail:           fieldEmail,
	usecase.InputPasskey:         fieldCredential,
}

// describe is how err is shown to an API client (httpx.Describe, in the
// API's field names).
func describe(err error) httpx.Problem { return httpx.Describe(err, jsonFields) }

// ErrorHandler answers every error under /api with the JSON error body
// (httpx.WriteJSON); the server hands it those paths' errors
// (httpx.ErrorHandler), also for errors raised before routing (413).
// Server errors are logged once, with the request id the message shows;
// their text never reaches the client.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	p := describe(err)
	setSecurityHeaders(c)
	httpx.Prepare(c, h.log, p, err)
	switch p.Status {
	case http.StatusUnauthorized:
		c.Set(fiber.HeaderWWWAuthenticate, wwwAuthenticate(err))
	case http.StatusMethodNotAllowed:
		c.Set(fiber.HeaderAllow, allowedMethods(h.routes(), c.Path()))
	}
	return httpx.WriteJSON(c, p)
}

// wwwAuthenticate is the challenge of a 401 (RFC 6750): a rejected token
// also gets error="invalid_token", so a client knows to log in again
// rather than to add a header it forgot.
func wwwAuthenticate(err error) string {
	if errors.Is(err, httpx.ErrBadBearerToken) {
		return `Bearer realm="gatehouse", error="invalid_token"`
	}
	return `Bearer realm="gatehouse"`
}
