package api

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestAllowedMethods(t *testing.T) {
	routes := (&Handler{}).routes()
	tests := []struct {
		path string
		want string
	}{
		{"/api/v1/users", "POST"},
		{"/api/v1/sessions", "POST, GET"},
		{"/api/v1/sessions/", "POST, GET"},
		{"/api/v1/sessions/current", "DELETE"},
		{"/api/v1/sessions/42", "DELETE"},
		{"/API/v1/Me", "GET, PATCH"},
		{"/api/v1/me/password", "PUT"},
		{"/api/v1/openapi.json", "GET"},
		{"/api/v1/sessions/42/x", ""},
		{"/api/v1", ""},
		{"/api/v2/me", ""},
		{"/api", ""},
	}
	for _, tt := range tests {
		if got := allowedMethods(routes, tt.path); got != tt.want {
			t.Errorf("allowedMethods(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

// TestHead answers HEAD on every GET route as GET does, through the same
// handlers (the token is checked, the use case asked), without the body.
func TestHead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path    string
		token   domain.Token
		useCase string // the Account method the handler calls, "" for none
	}{
		{sessionsPath, aliceToken, "Sessions"},
		{mePath, aliceToken, "PreviousLogin"},
		{openAPIPath, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			get := api.do(t, call{method: http.MethodGet, path: tt.path, token: tt.token})
			get.wantStatus(t, "GET "+tt.path, http.StatusOK)
			what := "HEAD " + tt.path
			res := api.do(t, call{method: http.MethodHead, path: tt.path, token: tt.token})
			res.wantStatus(t, what, http.StatusOK)
			res.wantNoBody(t, what)
			res.wantHeader(t, what, "Content-Type", "application/json")
			res.wantHeader(t, what, "Content-Length", strconv.Itoa(len(get.body)))
			if tt.useCase != "" {
				calls := api.account.Of(tt.useCase)
				if len(calls) != 2 {
					t.Fatalf("%s: %s called %d times for a GET and a HEAD, want 2", what, tt.useCase, len(calls))
				}
				wantArgs(t, what, calls[1], alice)
			}
		})
	}
}

// TestUnknownPath asks for paths under /api that name no endpoint, with
// several methods and in any case: the API's JSON 404, never the site's
// error page, and no use case runs.
func TestUnknownPath(t *testing.T) {
	t.Parallel()
	paths := []string{"/api", "/api/", "/api/v1", "/api/v2/me", "/api/v1/nothing", "/api/v1/sessions/1/extra", "/API/V1/NOPE", "/api/v1/me/password/x", "/api/v1/users/7"}
	for _, path := range paths {
		for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
			t.Run(method+" "+path, func(t *testing.T) {
				t.Parallel()
				api := newAPITest(t, Config{})
				what := method + " " + path
				res := api.do(t, call{method: method, path: path, token: aliceToken})
				res.wantError(t, what, http.StatusNotFound, "not_found", msgNotFound, nil)
				res.wantHeader(t, what, "Allow", "")
				wantNoCall(t, what, &api.sessions.Calls, "Resolve")
			})
		}
	}
}

// TestSitePathsPassThrough asks for paths that only start like the
// API's prefix: they are the site's, so the API neither answers nor
// marks them.
func TestSitePathsPassThrough(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/apix", "/api-docs", "/"} {
		api := newAPITest(t, Config{})
		res, err := api.app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil {
			t.Fatalf("GET %s: app.Test error = %v", path, err)
		}
		res.Body.Close()
		if res.StatusCode != siteStatus {
			t.Errorf("GET %s status = %d, want %d from the site's error handler", path, res.StatusCode, siteStatus)
		}
		for _, name := range []string{"X-Request-ID", "Content-Security-Policy"} {
			if got := res.Header.Get(name); got != "" {
				t.Errorf("GET %s %s = %q, want none: the API must not touch the site's paths", path, name, got)
			}
		}
	}
}

// TestWrongMethod calls endpoints with methods they do not take: a JSON
// 405 whose Allow lists the ones they do, before any token check or use
// case.
func TestWrongMethod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, path, wantAllow string
	}{
		{http.MethodGet, usersPath, "POST"},
		{http.MethodDelete, usersPath, "POST"},
		{http.MethodOptions, usersPath, "POST"},
		{http.MethodPut, sessionsPath, "POST, GET"},
		{http.MethodDelete, sessionsPath + "/", "POST, GET"},
		{http.MethodGet, sessionsPath + "/current", "DELETE"},
		{http.MethodPost, sessionsPath + "/5", "DELETE"},
		{http.MethodPut, mePath, "GET, PATCH"},
		{http.MethodDelete, mePath, "GET, PATCH"},
		{http.MethodPost, "/API/V1/ME", "GET, PATCH"},
		{http.MethodPost, passwordPath, "PUT"},
		{http.MethodGet, passwordPath, "PUT"},
		{http.MethodPost, openAPIPath, "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			what := tt.method + " " + tt.path
			res := api.do(t, call{method: tt.method, path: tt.path, token: aliceToken})
			res.wantError(t, what, http.StatusMethodNotAllowed, "method_not_allowed", msgMethodNotAllowed, nil)
			res.wantHeader(t, what, "Allow", tt.wantAllow)
			wantNoCall(t, what, &api.sessions.Calls, "Resolve")
			wantNoCall(t, what, &api.registrar.Calls, "Register")
			wantNoCall(t, what, &api.auth.Calls, "Login")
		})
	}
}
