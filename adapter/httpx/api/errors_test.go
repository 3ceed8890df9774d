package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gofiber/fiber/v2"
)

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
		{httpx.ErrNoBearerToken, http.StatusUnauthorized, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse"`}},
		{httpx.ErrBadBearerToken, http.StatusUnauthorized, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse", error="invalid_token"`}},
		{domain.ErrInvalidCredentials, http.StatusUnauthorized, map[string]string{"WWW-Authenticate": `Bearer realm="gatehouse"`}},
		{&domain.ThrottledError{RetryAfter: 30 * time.Second}, http.StatusTooManyRequests, map[string]string{"Retry-After": "30"}},
		{domain.ErrUnavailable, http.StatusServiceUnavailable, map[string]string{"Retry-After": "5"}},
		{errMethodNotAllowed, http.StatusMethodNotAllowed, map[string]string{"Allow": "GET"}},
		{errors.New("secret internals"), http.StatusInternalServerError, map[string]string{}},
	}
	for _, tt := range tests {
		app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler})
		app.Use(h.prepare)
		app.Get(httpx.APIPrefix+"/v1/me", func(*fiber.Ctx) error { return tt.err })
		app.Patch(httpx.APIPrefix+"/v1/me", func(*fiber.Ctx) error { return tt.err })
		res, err := app.Test(httptest.NewRequest(http.MethodPatch, httpx.APIPrefix+"/v1/me", nil))
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
