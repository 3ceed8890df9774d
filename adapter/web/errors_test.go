package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		err        error
		wantStatus int
	}{
		{fmt.Errorf("register %q: %w", "alice", domain.ErrUsernameTaken), http.StatusConflict},
		{domain.ErrInvalidCredentials, http.StatusUnauthorized},
		{&domain.ValidationError{Fields: map[string]string{"username": "x"}}, http.StatusUnprocessableEntity},
		{fmt.Errorf("store: %w", domain.ErrUnavailable), http.StatusServiceUnavailable},
		{domain.ErrNotFound, http.StatusNotFound},
		{fiber.ErrNotFound, http.StatusNotFound},
		{fiber.ErrMethodNotAllowed, http.StatusMethodNotAllowed},
		{fiber.ErrRequestEntityTooLarge, http.StatusRequestEntityTooLarge},
		{fiber.NewError(http.StatusTeapot, "internal detail"), http.StatusTeapot},
		{errors.New("sql: database is closed"), http.StatusInternalServerError},
		{fiber.NewError(http.StatusBadGateway, "upstream detail"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		p := describe(tt.err)
		if p.Status != tt.wantStatus {
			t.Errorf("describe(%v).Status = %d, want %d", tt.err, p.Status, tt.wantStatus)
		}
		if strings.Contains(p.Message, "detail") || strings.Contains(p.Message, "database") {
			t.Errorf("describe(%v).Message = %q leaks the error text", tt.err, p.Message)
		}
	}
	if got := describe(domain.ErrInvalidCredentials).Message; got != "Invalid username or password." {
		t.Errorf("invalid credentials message = %q, want the one generic message", got)
	}
	if got := describe(domain.ErrUsernameTaken).Message; got != "That username is already taken." {
		t.Errorf("username taken message = %q", got)
	}
}

// TestDescribeAccountErrors checks the account and admin rows, and that
// the two 403s say different things: a stale form is fixed by a reload, a
// forbidden page is not.
func TestDescribeAccountErrors(t *testing.T) {
	tests := []struct {
		err         error
		wantStatus  int
		wantMessage string
	}{
		{errCSRF, http.StatusForbidden, "This form has expired or was not sent from this site. Reload the page and try again."},
		{fmt.Errorf("list users: %w", domain.ErrForbidden), http.StatusForbidden, "You do not have access to this page."},
		{domain.ErrAccountDisabled, http.StatusForbidden, "This account has been disabled."},
		{fmt.Errorf("set role of user 1: %w", domain.ErrLastAdmin), http.StatusConflict, "The last admin cannot be demoted, disabled or deleted."},
	}
	for _, tt := range tests {
		p := describe(tt.err)
		if p.Status != tt.wantStatus || p.Message != tt.wantMessage {
			t.Errorf("describe(%v) = %d %q, want %d %q", tt.err, p.Status, p.Message, tt.wantStatus, tt.wantMessage)
		}
	}
	if csrf, forbidden := describe(errCSRF), describe(domain.ErrForbidden); csrf.Heading == forbidden.Heading {
		t.Errorf("describe(errCSRF).Heading = describe(ErrForbidden).Heading = %q, want them told apart", csrf.Heading)
	}
}
