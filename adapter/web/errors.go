package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

// problem is how an error is shown to a client.
type problem struct {
	Status  int
	Heading string
	Message string
}

// errorTable maps domain errors, and the web adapter's own, to what a
// visitor sees. Order matters only for errors that wrap several of these.
// Two rows are 403s that must not be confused: a forged or stale form
// (errCSRF), which a reload fixes, and a page the user may not see.
var errorTable = []struct {
	target error
	problem
}{
	{errCSRF, problem{http.StatusForbidden, "Form expired", "This form has expired or was not sent from this site. Reload the page and try again."}},
	{domain.ErrForbidden, problem{http.StatusForbidden, "Access denied", "You do not have access to this page."}},
	{domain.ErrAccountDisabled, problem{http.StatusForbidden, "Account disabled", "This account has been disabled."}},
	{domain.ErrLastAdmin, problem{http.StatusConflict, "Last admin", "The last admin cannot be demoted, disabled or deleted."}},
	{domain.ErrUsernameTaken, problem{http.StatusConflict, "Username taken", "That username is already taken."}},
	{domain.ErrInvalidCredentials, problem{http.StatusUnauthorized, "Login failed", "Invalid username or password."}},
	{domain.ErrUnauthenticated, problem{http.StatusUnauthorized, "Please log in", "Your session has ended. Please log in again."}},
	{domain.ErrNotFound, problem{http.StatusNotFound, "Page not found", "There is nothing at this address."}},
	{domain.ErrUnavailable, problem{http.StatusServiceUnavailable, "Temporarily unavailable", "The service is busy. Please try again in a moment."}},
}

// statusProblems covers errors that carry only a status (Fiber's own).
var statusProblems = map[int]problem{
	http.StatusBadRequest:            {http.StatusBadRequest, "Bad request", "The request could not be understood."},
	http.StatusUnsupportedMediaType:  {http.StatusUnsupportedMediaType, "Unsupported form", "Please send the form from this site's pages."},
	http.StatusTooManyRequests:       {http.StatusTooManyRequests, "Too many attempts", "Too many attempts. Please wait a while and try again."},
	http.StatusNotFound:              {http.StatusNotFound, "Page not found", "There is nothing at this address."},
	http.StatusMethodNotAllowed:      {http.StatusMethodNotAllowed, "Method not allowed", "This page does not accept that kind of request."},
	http.StatusRequestEntityTooLarge: {http.StatusRequestEntityTooLarge, "Request too large", "The form you sent is too large."},
	http.StatusUnprocessableEntity:   {http.StatusUnprocessableEntity, "Invalid input", "The form contains characters that are not allowed, or is missing a field. Please check it and try again."},
	http.StatusServiceUnavailable:    {http.StatusServiceUnavailable, "Temporarily unavailable", "The service is busy. Please try again in a moment."},
}

var internalProblem = problem{http.StatusInternalServerError, "Something went wrong", "The server could not complete your request. Please try again."}

// retryAfterSeconds is sent with every 503.
const retryAfterSeconds = "5"

// describe returns how err is shown: the one place errors become statuses.
// Unknown errors are a 500 whose message says nothing about the cause.
func describe(err error) problem {
	var invalid *domain.ValidationError
	if errors.As(err, &invalid) {
		return problem{http.StatusUnprocessableEntity, "Invalid input", "Please correct the marked fields."}
	}
	var throttled *domain.ThrottledError
	if errors.As(err, &throttled) {
		return problem{http.StatusTooManyRequests, "Too many attempts",
			fmt.Sprintf("Too many attempts. Please wait %s and try again.", humanWait(throttled.RetryAfterSeconds()))}
	}
	for _, row := range errorTable {
		if errors.Is(err, row.target) {
			return row.problem
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if p, ok := statusProblems[fe.Code]; ok {
			return p
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return problem{fe.Code, http.StatusText(fe.Code), "The request could not be completed."}
		}
	}
	return internalProblem
}

// ErrorHandler renders every error that reaches Fiber as a page in the
// site's layout. Server errors are logged once, with the request id the
// page shows; their text never reaches the client.
func (h *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	p := describe(err)
	reqID := requestID(c)
	if p.Status >= 500 {
		h.log.ErrorContext(c.UserContext(), "web: request failed",
			"request_id", reqID, "method", c.Method(), "route", routePath(c), "status", p.Status, "err", err)
	}
	setRetryAfter(c, err, p)
	if p.Status == http.StatusMethodNotAllowed {
		c.Set(fiber.HeaderAllow, allowedMethods(c))
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	view := &errorView{
		layoutView: layoutView{Title: p.Heading},
		Status:     p.Status,
		Heading:    p.Heading,
		Message:    p.Message,
	}
	if p.Status >= 500 {
		view.RequestID = reqID
	}
	if rerr := h.render(c, p.Status, "error", view); rerr != nil {
		h.log.ErrorContext(c.UserContext(), "web: render error page", "request_id", reqID, "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(p.Status).SendString(p.Heading + ". " + p.Message)
	}
	return nil
}

// setRetryAfter tells the client when to come back after a 429 or 503.
func setRetryAfter(c *fiber.Ctx, err error, p problem) {
	var throttled *domain.ThrottledError
	switch {
	case errors.As(err, &throttled):
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(throttled.RetryAfterSeconds()))
	case p.Status == http.StatusServiceUnavailable:
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
	}
}

// humanWait says a number of seconds the way a person would.
func humanWait(seconds int) string {
	switch {
	case seconds <= 1:
		return "a second"
	case seconds < 90:
		return strconv.Itoa(seconds) + " seconds"
	default:
		return strconv.Itoa((seconds+59)/60) + " minutes"
	}
}

// routePath is the matched route pattern (never the raw URL, which may
// carry query strings a user typed).
func routePath(c *fiber.Ctx) string {
	if r := c.Route(); r != nil && r.Path != "" {
		return r.Path
	}
	return "unmatched"
}

// allowedMethods lists the methods the app serves for the request's path.
func allowedMethods(c *fiber.Ctx) string {
	allowed := ""
	for _, r := range c.App().GetRoutes(true) {
		if r.Path != c.Path() || r.Method == fiber.MethodHead {
			continue
		}
		if allowed != "" {
			allowed += ", "
		}
		allowed += r.Method
	}
	return allowed
}
