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
