package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		err            error
		wantStatus     int
		wantCode       string
		wantRetryAfter int
	}{
		{&domain.ValidationError{Fields: map[string]string{"username": "x"}}, http.StatusUnprocessableEntity, codeInvalidInput, 0},
		{badField("remember", "Must be true or false."), http.StatusUnprocessableEntity, codeInvalidInput, 0},
		{fmt.Errorf("register %q: %w", "alice", domain.ErrUsernameTaken), http.StatusConflict, codeUsernameTaken, 0},
		{domain.ErrInvalidCredentials, http.StatusUnauthorized, codeInvalidCredentials, 0},
		{&domain.ThrottledError{RetryAfter: 1500 * time.Millisecond}, http.StatusTooManyRequests, codeThrottled, 2},
		{errNoToken, http.StatusUnauthorized, codeUnauthorized, 0},
		{errBadToken, http.StatusUnauthorized, codeUnauthorized, 0},
		{domain.ErrUnauthenticated, http.StatusUnauthorized, codeUnauthorized, 0},
		{domain.ErrAccountDisabled, http.StatusForbidden, codeForbidden, 0},
		{domain.ErrForbidden, http.StatusForbidden, codeForbidden, 0},
		{fmt.Errorf("revoke session 7: %w", domain.ErrNotFound), http.StatusNotFound, codeNotFound, 0},
		{errNoRoute, http.StatusNotFound, codeNotFound, 0},
		{errMethodNotAllowed, http.StatusMethodNotAllowed, codeMethodNotAllowed, 0},
		{fiber.ErrRequestEntityTooLarge, http.StatusRequestEntityTooLarge, codePayloadTooLarge, 0},
		{errMediaType, http.StatusUnsupportedMediaType, codeUnsupportedMediaType, 0},
		{fmt.Errorf("hash: %w", domain.ErrUnavailable), http.StatusServiceUnavailable, codeUnavailable, retryAfterUnavailable},
		{fiber.ErrServiceUnavailable, http.StatusServiceUnavailable, codeUnavailable, retryAfterUnavailable},
		{fiber.ErrBadRequest, http.StatusBadRequest, codeBadRequest, 0},
		{fiber.ErrRequestHeaderFieldsTooLarge, http.StatusRequestHeaderFieldsTooLarge, codeBadRequest, 0},
		{fiber.NewError(http.StatusTeapot, "internal detail"), http.StatusTeapot, codeBadRequest, 0},
		{errors.New("sql: database is closed"), http.StatusInternalServerError, codeInternal, 0},
		{fiber.NewError(http.StatusBadGateway, "upstream detail"), http.StatusInternalServerError, codeInternal, 0},
	}
	for _, tt := range tests {
		p := describe(tt.err)
		if p.Status != tt.wantStatus || p.Code != tt.wantCode || p.RetryAfter != tt.wantRetryAfter {
			t.Errorf("describe(%v) = %d %q Retry-After %d, want %d %q %d", tt.err, p.Status, p.Code, p.RetryAfter, tt.wantStatus, tt.wantCode, tt.wantRetryAfter)
		}
		if strings.Contains(p.Message, "detail") || strings.Contains(p.Message, "database") || strings.Contains(p.Message, "domain:") {
			t.Errorf("describe(%v).Message = %q leaks the error text", tt.err, p.Message)
		}
	}
}

func TestDescribeKeepsFields(t *testing.T) {
	tests := []struct {
		err  error
		want map[string]string
	}{
		{domain.NewValidationError(domain.FieldNewPassword, "Too short."), map[string]string{"new_password": "Too short."}},
		{badField("remember", "Must be true or false."), map[string]string{"remember": "Must be true or false."}},
		{badBody("The request body is not valid JSON."), map[string]string{}},
	}
	for _, tt := range tests {
		got := describe(tt.err).Fields
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("describe(%v).Fields = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// TestDescribeLoginFailuresAreOne checks that the answers to a wrong
// password and an unknown user cannot differ: both are the one error.
func TestDescribeLoginFailuresAreOne(t *testing.T) {
	if got := describe(domain.ErrInvalidCredentials).Message; got != "Invalid username or password." {
		t.Errorf("describe(ErrInvalidCredentials).Message = %q, want the one generic message", got)
	}
}

// TestErrorHandler renders errors through the handler, as Fiber calls it:
// the one JSON shape, the headers each status needs, and a server error
// logged once with the request id its message shows.
func TestErrorHandler(t *testing.T) {
	var logs strings.Builder
	h := NewHandler(nil, nil, nil, nil, Config{}, slog.New(slog.NewTextHandler(&logs, nil)))
	tests := []struct {
		err        error
		wantStatus int
		wantHeader map[string]string
	}{
		{errNoToken, http.StatusUnauthorized, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse"`}},
		{errBadToken, http.StatusUnauthorized, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse", error="invalid_token"`}},
		{domain.ErrInvalidCredentials, http.StatusUnauthorized, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse"`}},
		{&domain.ThrottledError{RetryAfter: 30 * time.Second}, http.StatusTooManyRequests, map[string]string{"Retry-After": "30"}},
		{domain.ErrUnavailable, http.StatusServiceUnavailable, map[string]string{"Retry-After": "5"}},
		{errMethodNotAllowed, http.StatusMethodNotAllowed, map[string]string{"Allow": "GET"}},
		{errors.New("secret internals"), http.StatusInternalServerError, map[string]string{}},
	}
	for _, tt := range tests {
		app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
		app.Use(h.prepare)
		app.Get(Prefix+"/v1/me", func(*fiber.Ctx) error { return tt.err })
		app.Patch(Prefix+"/v1/me", func(*fiber.Ctx) error { return tt.err })
		res, err := app.Test(httptest.NewRequest(http.MethodPatch, Prefix+"/v1/me", nil))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		var body map[string]map[string]any
		if err := json.Unmarshal(raw, &body); err != nil || res.StatusCode != tt.wantStatus {
			t.Errorf("ErrorHandler(%v) = %d %s, want %d with a JSON body (%v)", tt.err, res.StatusCode, raw, tt.wantStatus, err)
			continue
		}
		e := body["error"]
		if _, ok := e["fields"].(map[string]any); !ok || e["code"] == "" || e["message"] == "" || len(e) != 3 {
			t.Errorf("ErrorHandler(%v) body = %s, want {\"error\": {code, message, fields}}", tt.err, raw)
		}
		for name, value := range tt.wantHeader {
			if got := res.Header.Get(name); got != value {
				t.Errorf("ErrorHandler(%v) %s = %q, want %q", tt.err, name, got, value)
			}
		}
		if res.Header.Get("Content-Type") != "application/json" || res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("ErrorHandler(%v) Content-Type %q, Cache-Control %q; want application/json, no-store", tt.err, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
		if tt.wantStatus == http.StatusInternalServerError {
			id := res.Header.Get("X-Request-ID")
			if id == "" || !strings.Contains(string(raw), id) || strings.Contains(string(raw), "secret") {
				t.Errorf("500 body = %s, want the request id %q and no internals", raw, id)
			}
			if n := strings.Count(logs.String(), id); n != 1 {
				t.Errorf("request id %s logged %d times, want 1; log:\n%s", id, n, logs.String())
			}
		}
	}
}
