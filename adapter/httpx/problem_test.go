package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// formNames stands in for a delivery's field names.
var formNames = map[usecase.Input]string{usecase.InputNewPassword: "new_password_field"}

func TestDescribe(t *testing.T) {
	tests := []struct {
		err            error
		wantStatus     int
		wantCode       string
		wantRetryAfter int
	}{
		{&usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputUsername: "x"}}, http.StatusUnprocessableEntity, CodeInvalidInput, 0},
		{&InputError{Message: "x", Fields: map[string]string{"remember": "Must be true or false."}}, http.StatusUnprocessableEntity, CodeInvalidInput, 0},
		{fmt.Errorf("register %q: %w", "alice", domain.ErrUsernameTaken), http.StatusConflict, CodeUsernameTaken, 0},
		{domain.ErrInvalidCredentials, http.StatusUnauthorized, CodeInvalidCredentials, 0},
		{&domain.ThrottledError{RetryAfter: 1500 * time.Millisecond}, http.StatusTooManyRequests, CodeThrottled, 2},
		{ErrNoBearerToken, http.StatusUnauthorized, CodeUnauthorized, 0},
		{ErrBadBearerToken, http.StatusUnauthorized, CodeUnauthorized, 0},
		{domain.ErrUnauthenticated, http.StatusUnauthorized, CodeUnauthorized, 0},
		{domain.ErrAccountDisabled, http.StatusForbidden, CodeForbidden, 0},
		{domain.ErrForbidden, http.StatusForbidden, CodeForbidden, 0},
		{fmt.Errorf("list sessions: %w", ErrPasswordChangeRequired), http.StatusForbidden, CodePasswordChangeRequired, 0},
		{ErrFormExpired, http.StatusForbidden, CodeForbidden, 0},
		{fmt.Errorf("set role of user 1: %w", domain.ErrLastAdmin), http.StatusConflict, CodeLastAdmin, 0},
		{fmt.Errorf("revoke session 7: %w", domain.ErrNotFound), http.StatusNotFound, CodeNotFound, 0},
		{fiber.ErrNotFound, http.StatusNotFound, CodeNotFound, 0},
		{fiber.ErrMethodNotAllowed, http.StatusMethodNotAllowed, CodeMethodNotAllowed, 0},
		{fiber.ErrRequestEntityTooLarge, http.StatusRequestEntityTooLarge, CodePayloadTooLarge, 0},
		{ErrNotJSON, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, 0},
		{ErrNotForm, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType, 0},
		{ErrBadForm, http.StatusUnprocessableEntity, CodeInvalidInput, 0},
		{fmt.Errorf("hash: %w", domain.ErrUnavailable), http.StatusServiceUnavailable, CodeUnavailable, RetryAfterUnavailable},
		{fiber.ErrServiceUnavailable, http.StatusServiceUnavailable, CodeUnavailable, RetryAfterUnavailable},
		{fiber.ErrBadRequest, http.StatusBadRequest, CodeBadRequest, 0},
		{fiber.ErrRequestHeaderFieldsTooLarge, http.StatusRequestHeaderFieldsTooLarge, CodeBadRequest, 0},
		{fiber.NewError(http.StatusTeapot, "internal detail"), http.StatusTeapot, CodeBadRequest, 0},
		{errors.New("sql: database is closed"), http.StatusInternalServerError, CodeInternal, 0},
		{fiber.NewError(http.StatusBadGateway, "upstream detail"), http.StatusInternalServerError, CodeInternal, 0},
	}
	for _, tt := range tests {
		p := Describe(tt.err, formNames)
		if p.Status != tt.wantStatus || p.Code != tt.wantCode || p.RetryAfter != tt.wantRetryAfter {
			t.Errorf("Describe(%v) = %d %q Retry-After %d, want %d %q %d", tt.err, p.Status, p.Code, p.RetryAfter, tt.wantStatus, tt.wantCode, tt.wantRetryAfter)
		}
		if p.Title == "" || p.Message == "" {
			t.Errorf("Describe(%v) = title %q, message %q; want both, for a page", tt.err, p.Title, p.Message)
		}
		if strings.Contains(p.Message, "detail") || strings.Contains(p.Message, "database") || strings.Contains(p.Message, "domain:") {
			t.Errorf("Describe(%v).Message = %q leaks the error text", tt.err, p.Message)
		}
		if !slices.Contains(Codes(), p.Code) {
			t.Errorf("Describe(%v).Code = %q, which Codes() does not list", tt.err, p.Code)
		}
	}
}

// TestDescribeMessages pins the sentences people read where one error
// could be mistaken for another: the one login failure, and the two 403s
// of the site (a stale form is fixed by a reload, a forbidden page is
// not).
func TestDescribeMessages(t *testing.T) {
	tests := []struct {
		err         error
		wantStatus  int
		wantMessage string
	}{
		{domain.ErrInvalidCredentials, http.StatusUnauthorized, "Invalid username or password."},
		{domain.ErrUsernameTaken, http.StatusConflict, "That username is already taken."},
		{ErrFormExpired, http.StatusForbidden, "This form has expired or was not sent from this site. Reload the page and try again."},
		{fmt.Errorf("list users: %w", domain.ErrForbidden), http.StatusForbidden, "You do not have access to this page."},
		{domain.ErrAccountDisabled, http.StatusForbidden, "This account has been disabled."},
		{fmt.Errorf("set role of user 1: %w", domain.ErrLastAdmin), http.StatusConflict, "The last admin cannot be demoted, disabled or deleted."},
		{&domain.ThrottledError{RetryAfter: 30 * time.Second}, http.StatusTooManyRequests, "Too many attempts. Please wait 30 seconds and try again."},
		{&domain.ThrottledError{RetryAfter: 10 * time.Minute}, http.StatusTooManyRequests, "Too many attempts. Please wait 10 minutes and try again."},
	}
	for _, tt := range tests {
		p := Describe(tt.err, nil)
		if p.Status != tt.wantStatus || p.Message != tt.wantMessage {
			t.Errorf("Describe(%v) = %d %q, want %d %q", tt.err, p.Status, p.Message, tt.wantStatus, tt.wantMessage)
		}
	}
	if csrf, forbidden := Describe(ErrFormExpired, nil), Describe(domain.ErrForbidden, nil); csrf.Title == forbidden.Title {
		t.Errorf("Describe(ErrFormExpired).Title = Describe(ErrForbidden).Title = %q, want them told apart", csrf.Title)
	}
}

// TestDescribeNamesFields checks that a use case's inputs come out in the
// delivery's field names, and a delivery's own InputError as it named
// them.
func TestDescribeNamesFields(t *testing.T) {
	tests := []struct {
		err  error
		want map[string]string
	}{
		{&usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputNewPassword: "Too short."}}, map[string]string{"new_password_field": "Too short."}},
		{&usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputUsername: "Taken."}}, map[string]string{"username": "Taken."}},
		{&InputError{Message: "x", Fields: map[string]string{"remember": "Must be true or false."}}, map[string]string{"remember": "Must be true or false."}},
		{&InputError{Message: "The request body is not valid JSON.", Fields: map[string]string{}}, map[string]string{}},
	}
	for _, tt := range tests {
		got := Describe(tt.err, formNames).Fields
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Describe(%v).Fields = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestHumanWait(t *testing.T) {
	tests := []struct {
		seconds int
		want    string
	}{{0, "a second"}, {1, "a second"}, {2, "2 seconds"}, {89, "89 seconds"}, {90, "2 minutes"}, {900, "15 minutes"}}
	for _, tt := range tests {
		if got := humanWait(tt.seconds); got != tt.want {
			t.Errorf("humanWait(%d) = %q, want %q", tt.seconds, got, tt.want)
		}
	}
}
