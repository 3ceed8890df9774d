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

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// TestErrorHandler renders errors through the handler, as Fiber calls it:
// the one JSON shape, the headers each status needs, and a server error
// logged once with the request id its message shows.
func TestErrorHandler(t *testing.T) {
	var logs strings.Builder
	h := NewHandler(nil, nil, nil, nil, nil, nil, nil, nil, Config{}, slog.New(slog.NewTextHandler(&logs, nil)))
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
		{errMethodNotAllowed, http.StatusMethodNotAllowed, map[string]string{"Allow": "GET, PATCH"}},
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

// TestServerErrorOverHTTP makes each use case, and the token lookup, fail
// with an error the table does not know: a 500 internal whose message
// holds the request id sent as X-Request-ID and nothing of the error,
// which is logged once, with that id.
func TestServerErrorOverHTTP(t *testing.T) {
	t.Parallel()
	const secret = "sqlite: disk I/O error at /var/lib/gatehouse/gatehouse.db"
	broken := errors.New(secret)
	tests := []struct {
		name string
		call call
		fail func(*apiTest)
	}{
		{"Register", call{method: http.MethodPost, path: usersPath, body: `{"username":"alice","password":"correct horse battery staple"}`},
			func(a *apiTest) {
				a.registrar.RegisterFunc = func(usecase.RegisterInput) (domain.User, error) { return domain.User{}, broken }
			}},
		{"Login", call{method: http.MethodPost, path: sessionsPath, body: `{"username":"alice","password":"correct horse battery staple"}`},
			func(a *apiTest) {
				a.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) { return usecase.LoginResult{}, broken }
			}},
		{"Resolve", call{method: http.MethodGet, path: mePath, token: aliceToken},
			func(a *apiTest) { a.sessions.ResolveErr = broken }},
		{"Sessions", call{method: http.MethodGet, path: sessionsPath, token: aliceToken},
			func(a *apiTest) {
				a.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return nil, broken }
			}},
		{"Logout", call{method: http.MethodDelete, path: sessionsPath + "/current", token: aliceToken},
			func(a *apiTest) { a.account.LogoutFunc = func(usecase.Principal) error { return broken } }},
		{"RevokeSession", call{method: http.MethodDelete, path: sessionsPath + "/40", token: aliceToken},
			func(a *apiTest) {
				a.account.RevokeSessionFunc = func(usecase.Principal, domain.SessionID) error { return fmt.Errorf("revoke: %w", broken) }
			}},
		{"PreviousLogin", call{method: http.MethodGet, path: mePath, token: aliceToken},
			func(a *apiTest) {
				a.account.PreviousLoginFunc = func(usecase.Principal) (domain.PreviousLogin, bool, error) {
					return domain.PreviousLogin{}, false, broken
				}
			}},
		{"ChangePassword", call{method: http.MethodPut, path: passwordPath, token: aliceToken,
			body: `{"current_password":"correct horse battery staple","new_password":"purple monkey dishwasher"}`},
			func(a *apiTest) {
				a.account.ChangePasswordFunc = func(usecase.Principal, string, string) (domain.Token, domain.Session, error) {
					return "", domain.Session{}, broken
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			tt.fail(api)
			what := fmt.Sprintf("%s %s (%s fails)", tt.call.method, tt.call.path, tt.name)
			res := api.do(t, tt.call)
			res.wantError(t, what, http.StatusInternalServerError, "internal", msgInternalNoID, nil)
			id := res.header.Get("X-Request-ID")
			if id == "" {
				t.Fatalf("%s X-Request-ID is empty, want the id the message quotes", what)
			}
			for _, leak := range []string{secret, "sqlite", "gatehouse.db"} {
				if strings.Contains(string(res.body), leak) {
					t.Errorf("%s body = %s, want nothing of the error (%q)", what, res.body, leak)
				}
			}
			lines := api.logs.Lines(id)
			if len(lines) != 1 || !strings.Contains(lines[0], secret) {
				t.Errorf("%s: log lines with request id %s = %q, want exactly one, with the error; log:\n%s", what, id, lines, api.logs)
			}
			if n := len(api.logs.Lines(secret)); n != 1 {
				t.Errorf("%s: the error is in %d log lines, want 1; log:\n%s", what, n, api.logs)
			}
		})
	}
}

// TestNotJSON sends the body endpoints JSON under other media types: a
// 415 unsupported_media_type before any use case runs. application/json,
// with at most charset=utf-8, is read.
func TestNotJSON(t *testing.T) {
	t.Parallel()
	endpoints := []struct {
		method, path, body string
		token              domain.Token
		calls              func(*apiTest) *httpxtest.Calls // the fake the handler calls
		useCase            string                          // the method it calls
		okStatus           int
	}{
		{http.MethodPost, usersPath, `{"username":"alice","password":"correct horse battery staple"}`, "",
			func(a *apiTest) *httpxtest.Calls { return &a.registrar.Calls }, "Register", http.StatusCreated},
		{http.MethodPost, sessionsPath, `{"username":"alice","password":"correct horse battery staple"}`, "",
			func(a *apiTest) *httpxtest.Calls { return &a.auth.Calls }, "Login", http.StatusCreated},
		{http.MethodPut, passwordPath, `{"current_password":"correct horse battery staple","new_password":"purple monkey dishwasher"}`, aliceToken,
			func(a *apiTest) *httpxtest.Calls { return &a.account.Calls }, "ChangePassword", http.StatusNoContent},
	}
	contentTypes := []struct {
		value string
		ok    bool
	}{
		{"application/json", true},
		{"application/json; charset=utf-8", true},
		{"Application/JSON;charset=UTF-8", true},
		{"", false},
		{"text/plain", false},
		{"text/json", false},
		{"application/x-www-form-urlencoded", false},
		{"multipart/form-data; boundary=x", false},
		{"application/json; charset=latin1", false},
		{"application/vnd.api+json", false},
	}
	for _, ep := range endpoints {
		for _, ct := range contentTypes {
			t.Run(ep.method+" "+ep.path+" "+ct.value, func(t *testing.T) {
				t.Parallel()
				api := newAPITest(t, Config{})
				calls := ep.calls(api)
				what := fmt.Sprintf("%s %s (Content-Type %q)", ep.method, ep.path, ct.value)
				res := api.do(t, call{method: ep.method, path: ep.path, body: ep.body, token: ep.token,
					header: map[string]string{"Content-Type": ct.value}})
				if ct.ok {
					res.wantStatus(t, what, ep.okStatus)
					onlyCall(t, what, calls, ep.useCase)
					return
				}
				res.wantError(t, what, http.StatusUnsupportedMediaType, "unsupported_media_type", msgNotJSON, nil)
				wantNoCall(t, what, calls, ep.useCase)
			})
		}
	}
}

// TestBodyTooLarge sends a body over the server's limit: the server
// refuses it before routing, and the API's error handler still answers,
// with the JSON 413 and the security headers. (app.Test reports the
// refusal as its own error, not as the response: this request goes over
// a connection.)
func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	body := `{"username":"alice","password":"` + strings.Repeat("a", testBodyLimit) + `"}`
	const what = "POST /api/v1/users (a body over 16 KiB)"
	res := api.doFrom(t, testPeer, call{method: http.MethodPost, path: usersPath, body: body})
	res.wantError(t, what, http.StatusRequestEntityTooLarge, "payload_too_large", "The request is larger than this service accepts.", nil)
	wantNoCall(t, what, &api.registrar.Calls, "Register")
}

// TestSecurityHeadersOnEveryResponse names the security headers on a
// response of every kind the API gives: success with and without a body,
// HEAD, and errors from the routing, the token check, the body check, the
// use cases and the server. (Every test's request checks them too.)
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	api.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) {
		return usecase.LoginResult{}, &domain.ThrottledError{RetryAfter: time.Minute}
	}
	api.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return nil, domain.ErrUnavailable }
	api.account.PreviousLoginFunc = func(usecase.Principal) (domain.PreviousLogin, bool, error) {
		return domain.PreviousLogin{}, false, errors.New("boom")
	}
	tests := []struct {
		call       call
		wantStatus int
	}{
		{call{method: http.MethodPost, path: usersPath, body: `{"username":"alice","password":"correct horse battery staple"}`}, http.StatusCreated},
		{call{method: http.MethodGet, path: openAPIPath}, http.StatusOK},
		{call{method: http.MethodHead, path: openAPIPath}, http.StatusOK},
		{call{method: http.MethodDelete, path: sessionsPath + "/current", token: aliceToken}, http.StatusNoContent},
		{call{method: http.MethodGet, path: mePath}, http.StatusUnauthorized},
		{call{method: http.MethodGet, path: "/api/v1/nothing"}, http.StatusNotFound},
		{call{method: http.MethodDelete, path: mePath}, http.StatusMethodNotAllowed},
		{call{method: http.MethodPost, path: usersPath, body: "x", header: map[string]string{"Content-Type": "text/plain"}}, http.StatusUnsupportedMediaType},
		{call{method: http.MethodPost, path: usersPath, body: "{"}, http.StatusUnprocessableEntity},
		{call{method: http.MethodPost, path: sessionsPath, body: `{"username":"alice","password":"pw"}`}, http.StatusTooManyRequests},
		{call{method: http.MethodGet, path: mePath, token: aliceToken}, http.StatusInternalServerError},
		{call{method: http.MethodGet, path: sessionsPath, token: aliceToken}, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		what := tt.call.method + " " + tt.call.path
		res := api.do(t, tt.call)
		if res.status != tt.wantStatus {
			t.Errorf("%s status = %d, want %d", what, res.status, tt.wantStatus)
		}
		res.wantSecurityHeaders(t, what)
	}
}
