package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// Problem is how an error is shown to a client: the site renders it as a
// page (Title and Message), the API as its JSON error body (Code, Message
// and Fields). Both send Status and, when it is set, Retry-After.
type Problem struct {
	Status int
	// Code is the stable, machine-readable name of the problem; API
	// clients branch on it, never on Message.
	Code string
	// Title is a page's short heading.
	Title string
	// Message is one or two sentences for a person.
	Message string
	// Fields holds a message per offending field, in the delivery's own
	// field names.
	Fields map[string]string
	// RetryAfter is the Retry-After of a 429 or 503, in seconds; 0 for
	// none.
	RetryAfter int
}

// The codes of the API's error body. openapi.json lists the same set.
const (
	CodeInvalidInput           = "invalid_input"
	CodeUsernameTaken          = "username_taken"
	CodeInvalidCredentials     = "invalid_credentials"
	CodeThrottled              = "throttled"
	CodeUnauthorized           = "unauthorized"
	CodeSecondFactorRequired   = "second_factor_required"
	CodeForbidden              = "forbidden"
	CodePasswordChangeRequired = "password_change_required"
	CodeLastAdmin              = "last_admin"
	CodeNotFound               = "not_found"
	CodeMethodNotAllowed       = "method_not_allowed"
	CodePayloadTooLarge        = "payload_too_large"
	CodeUnsupportedMediaType   = "unsupported_media_type"
	CodeUnavailable            = "unavailable"
	CodeBadRequest             = "bad_request"
	CodeInternal               = "internal"
	CodeProviderRejected       = "provider_rejected"
	CodeIdentityNotLinked      = "identity_not_linked"
	CodeIdentityTaken          = "identity_taken"
	CodeLastSignInMethod       = "last_sign_in_method"
)

// The deliveries' own refusals, described by the table below like the
// domain's errors.
var (
	// ErrFormExpired answers a site form that fails the CSRF check: a
	// forged one, or one whose page is too old. A reload fixes the
	// second, so it is told apart from a page the user may not see.
	ErrFormExpired = fiber.NewError(http.StatusForbidden, "httpx: csrf check failed")
	// ErrNotForm answers a site POST whose body is not an urlencoded form.
	ErrNotForm = fiber.NewError(http.StatusUnsupportedMediaType, "httpx: form must be urlencoded")
	// ErrBadForm answers a site form whose fields are not clean text, or
	// that lacks a field its handler needs.
	ErrBadForm = fiber.NewError(http.StatusUnprocessableEntity, "httpx: form has invalid characters or lacks a field")
	// ErrNotJSON answers an API request whose body is not application/json.
	ErrNotJSON = fiber.NewError(http.StatusUnsupportedMediaType, "httpx: body must be application/json")
	// ErrNoBearerToken answers an API endpoint called without a bearer
	// token (or with another authentication scheme).
	ErrNoBearerToken = fmt.Errorf("httpx: no bearer token: %w", domain.ErrUnauthenticated)
	// ErrBadBearerToken answers a bearer token that is malformed,
	// unknown, expired or revoked.
	ErrBadBearerToken = fmt.Errorf("httpx: bearer token rejected: %w", domain.ErrUnauthenticated)
	// ErrPasswordChangeRequired answers a user who must change their
	// password (domain.User.MustChangePassword) and asks for anything but
	// what changing it takes.
	ErrPasswordChangeRequired = fmt.Errorf("httpx: password change required: %w", domain.ErrForbidden)
)

// InputError is a request a delivery could not read as its handler's
// input (the API's body: not one JSON object, or with unknown, repeated,
// mistyped or dirty fields). Fields are in the delivery's own names.
type InputError struct {
	Message string
	Fields  map[string]string
}

func (e *InputError) Error() string { return "httpx: invalid request: " + e.Message }

// errorTable is the one table that turns errors into problems, for the
// site and the API alike. Order matters only for errors that wrap several
// of these: the two bearer-token errors come before the
// ErrUnauthenticated they wrap, ErrPasswordChangeRequired before the
// ErrForbidden it wraps.
var errorTable = []struct {
	target error
	Problem
}{
	{ErrFormExpired, Problem{Status: http.StatusForbidden, Code: CodeForbidden, Title: "Form expired",
		Message: "This form has expired or was not sent from this site. Reload the page and try again."}},
	{ErrNotForm, Problem{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType, Title: "Unsupported form",
		Message: "Please send the form from this site's pages."}},
	{ErrBadForm, Problem{Status: http.StatusUnprocessableEntity, Code: CodeInvalidInput, Title: "Invalid input",
		Message: "The form contains characters that are not allowed, or is missing a field. Please check it and try again."}},
	{ErrNotJSON, Problem{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType, Title: "Unsupported request",
		Message: "The request body must be JSON, sent as Content-Type: application/json."}},
	{ErrNoBearerToken, Problem{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Title: "Please log in",
		Message: "This endpoint needs an Authorization: Bearer token."}},
	{ErrBadBearerToken, Problem{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Title: "Please log in",
		Message: "The bearer token is invalid, expired or revoked. Log in again."}},
	{usecase.ErrSecondFactorRequired, Problem{Status: http.StatusUnauthorized, Code: CodeSecondFactorRequired, Title: "Second factor required",
		Message: "The password is right; now send a code from the authenticator app."}},
	{usecase.ErrChallengeGone, Problem{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Title: "Please log in",
		Message: "The login timed out or was already finished. Log in again."}},
	{usecase.ErrPendingGone, Problem{Status: http.StatusBadRequest, Code: CodeProviderRejected, Title: "Sign-in expired",
		Message: "This sign-in with your provider has expired or was already used. Nothing was changed. Please start again from the login page."}},
	{domain.ErrProviderRejected, Problem{Status: http.StatusBadRequest, Code: CodeProviderRejected, Title: "Sign-in failed",
		Message: "Signing in with your provider did not work: it was cancelled, took longer than 10 minutes, was already used, or was not started in this browser. Nothing was changed. Please try again."}},
	{domain.ErrProviderUnavailable, Problem{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Title: "Provider unavailable",
		Message: "The sign-in provider cannot be reached right now. Nothing was changed. Please try again later, or log in with your password."}},
	{usecase.ErrIdentityNotLinked, Problem{Status: http.StatusNotFound, Code: CodeIdentityNotLinked, Title: "No account linked",
		Message: "No account is linked to this sign-in. Sign up on the website with this provider first, or connect it from your account page."}},
	{domain.ErrIdentityTaken, Problem{Status: http.StatusConflict, Code: CodeIdentityTaken, Title: "Already connected",
		Message: "That sign-in is already connected to an account, or this account already has one from that provider. Disconnect it first."}},
	{domain.ErrLastSignInMethod, Problem{Status: http.StatusConflict, Code: CodeLastSignInMethod, Title: "Last way to sign in",
		Message: "This is your account's only way to sign in. Set a password or connect another provider before you disconnect it."}},
	{domain.ErrUnauthenticated, Problem{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Title: "Please log in",
		Message: "Your session has ended. Please log in again."}},
	{domain.ErrInvalidCredentials, Problem{Status: http.StatusUnauthorized, Code: CodeInvalidCredentials, Title: "Login failed",
		Message: "Invalid username or password."}},
	{domain.ErrAccountDisabled, Problem{Status: http.StatusForbidden, Code: CodeForbidden, Title: "Account disabled",
		Message: "This account has been disabled."}},
	{ErrPasswordChangeRequired, Problem{Status: http.StatusForbidden, Code: CodePasswordChangeRequired, Title: "Password change required",
		Message: "The password of this account must be changed first (PUT /api/v1/me/password)."}},
	{domain.ErrForbidden, Problem{Status: http.StatusForbidden, Code: CodeForbidden, Title: "Access denied",
		Message: "You do not have access to this page."}},
	{domain.ErrLastAdmin, Problem{Status: http.StatusConflict, Code: CodeLastAdmin, Title: "Last admin",
		Message: "The last admin cannot be demoted, disabled or deleted."}},
	{domain.ErrUsernameTaken, Problem{Status: http.StatusConflict, Code: CodeUsernameTaken, Title: "Username taken",
		Message: "That username is already taken."}},
	{domain.ErrNotFound, Problem{Status: http.StatusNotFound, Code: CodeNotFound, Title: "Page not found",
		Message: "There is nothing at this address."}},
	{domain.ErrUnavailable, Problem{Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Title: "Temporarily unavailable",
		Message: "The service is busy. Please try again in a moment."}},
}

// statusProblems covers errors that carry only a status: Fiber's own, and
// what its server refuses before any route runs (a body over the limit,
// headers too large, a malformed request).
var statusProblems = map[int]Problem{
	http.StatusBadRequest: {Status: http.StatusBadRequest, Code: CodeBadRequest, Title: "Bad request",
		Message: "The request could not be understood."},
	http.StatusNotFound: {Status: http.StatusNotFound, Code: CodeNotFound, Title: "Page not found",
		Message: "There is nothing at this address."},
	http.StatusMethodNotAllowed: {Status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed, Title: "Method not allowed",
		Message: "This address does not take that kind of request; see the Allow header."},
	http.StatusRequestTimeout: {Status: http.StatusRequestTimeout, Code: CodeBadRequest, Title: "Request timeout",
		Message: "The request took too long to arrive."},
	http.StatusRequestEntityTooLarge: {Status: http.StatusRequestEntityTooLarge, Code: CodePayloadTooLarge, Title: "Request too large",
		Message: "The request is larger than this service accepts."},
	http.StatusUnsupportedMediaType: {Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType, Title: "Unsupported request",
		Message: "The request body is of a kind this address does not take."},
	http.StatusUnprocessableEntity: {Status: http.StatusUnprocessableEntity, Code: CodeInvalidInput, Title: "Invalid input",
		Message: "The request could not be processed."},
	http.StatusTooManyRequests: {Status: http.StatusTooManyRequests, Code: CodeThrottled, Title: "Too many attempts",
		Message: "Too many attempts. Please wait a while and try again."},
	http.StatusRequestHeaderFieldsTooLarge: {Status: http.StatusRequestHeaderFieldsTooLarge, Code: CodeBadRequest, Title: "Request too large",
		Message: "The request headers are too large."},
	http.StatusServiceUnavailable: {Status: http.StatusServiceUnavailable, Code: CodeUnavailable, Title: "Temporarily unavailable",
		Message: "The service is busy. Please try again in a moment."},
}

// internalProblem answers every error the table does not know.
var internalProblem = Problem{Status: http.StatusInternalServerError, Code: CodeInternal, Title: "Something went wrong",
	Message: "The server could not complete the request. Please try again."}

// RetryAfterUnavailable is the Retry-After of every 503, in seconds.
const RetryAfterUnavailable = 5

// Describe returns how err is shown: the one place errors become statuses
// and codes. fields maps the use cases' inputs to the delivery's field
// names, for an *usecase.InvalidInputError. Unknown errors are a 500
// whose message says nothing about the cause.
func Describe(err error, fields map[usecase.Input]string) Problem {
	var input *InputError
	if errors.As(err, &input) {
		return Problem{Status: http.StatusUnprocessableEntity, Code: CodeInvalidInput, Title: "Invalid input",
			Message: input.Message, Fields: input.Fields}
	}
	var invalid *usecase.InvalidInputError
	if errors.As(err, &invalid) {
		named := make(map[string]string, len(invalid.Fields))
		for in, msg := range invalid.Fields {
			name, ok := fields[in]
			if !ok {
				name = string(in)
			}
			named[name] = msg
		}
		return Problem{Status: http.StatusUnprocessableEntity, Code: CodeInvalidInput, Title: "Invalid input",
			Message: "Some fields are not valid. Please correct them and try again.", Fields: named}
	}
	var throttled *domain.ThrottledError
	if errors.As(err, &throttled) {
		wait := throttled.RetryAfterSeconds()
		return Problem{Status: http.StatusTooManyRequests, Code: CodeThrottled, Title: "Too many attempts",
			Message: fmt.Sprintf("Too many attempts. Please wait %s and try again.", humanWait(wait)), RetryAfter: wait}
	}
	p, ok := lookup(err)
	if !ok {
		p = internalProblem
	}
	if p.Status == http.StatusServiceUnavailable {
		p.RetryAfter = RetryAfterUnavailable
	}
	return p
}

// lookup finds err in the error table, or its status among the known ones.
func lookup(err error) (Problem, bool) {
	for _, row := range errorTable {
		if errors.Is(err, row.target) {
			return row.Problem, true
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		if p, ok := statusProblems[fe.Code]; ok {
			return p, true
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return Problem{Status: fe.Code, Code: CodeBadRequest, Title: http.StatusText(fe.Code),
				Message: "The request could not be completed."}, true
		}
	}
	return Problem{}, false
}

// Codes lists every code Describe can return, for the API's document.
func Codes() []string {
	seen := map[string]bool{internalProblem.Code: true, CodeInvalidInput: true, CodeThrottled: true}
	for _, row := range errorTable {
		seen[row.Code] = true
	}
	for _, p := range statusProblems {
		seen[p.Code] = true
	}
	codes := make([]string, 0, len(seen))
	for c := range seen {
		codes = append(codes, c)
	}
	return codes
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
