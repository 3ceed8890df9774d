package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// TestMustChangePasswordAllowsOnlyTheChange protects must_change_password
// as the site enforces it: until the password is changed, a caller's
// token reaches only what changing it takes (PUT /me/password), GET /me
// (which says it must be changed) and logging out; every other endpoint
// with a token answers 403 password_change_required before any use case
// runs, as openapi.json documents.
func TestMustChangePasswordAllowsOnlyTheChange(t *testing.T) {
	t.Parallel()
	legacyToken := domain.NewToken([domain.TokenBytes]byte{7, 7, 7})
	legacy := alice
	legacy.User.MustChangePassword = true
	tests := []struct {
		route  string // the pattern in routes()
		call   call
		want   int
		method string // the use case the endpoint runs
	}{
		{"/v1/me", call{method: http.MethodGet, path: mePath}, http.StatusOK, "PreviousLogin"},
		{"/v1/me", call{method: http.MethodPatch, path: mePath, body: `{"display_name":"Al"}`}, http.StatusForbidden, "SetDisplayName"},
		{"/v1/me/password", call{method: http.MethodPut, path: passwordPath,
			body: `{"current_password":"hunter2","new_password":"purple monkey dishwasher"}`}, http.StatusNoContent, "ChangePassword"},
		{"/v1/sessions/current", call{method: http.MethodDelete, path: sessionsPath + "/current"}, http.StatusNoContent, "Logout"},
		{"/v1/sessions", call{method: http.MethodGet, path: sessionsPath}, http.StatusForbidden, "Sessions"},
		{"/v1/sessions", call{method: http.MethodHead, path: sessionsPath}, http.StatusForbidden, "Sessions"},
		{"/v1/sessions/:id", call{method: http.MethodDelete, path: sessionsPath + "/40"}, http.StatusForbidden, "RevokeSession"},
		{"/v1/sessions/:id", call{method: http.MethodDelete, path: sessionsPath + "/41"}, http.StatusForbidden, "Logout"},
		{"/v1/me/email", call{method: http.MethodPut, path: mePath + "/email",
			body: `{"email":"a@example.com","current_password":"hunter2"}`}, http.StatusForbidden, "ChangeEmail"},
		{"/v1/me/email", call{method: http.MethodDelete, path: mePath + "/email",
			body: `{"current_password":"hunter2"}`}, http.StatusForbidden, "RemoveEmail"},
		{"/v1/me/email/verify", call{method: http.MethodPost, path: mePath + "/email/verify",
			body: `{"code":"K7QW3MZP"}`}, http.StatusForbidden, "VerifyEmail"},
		{"/v1/me/identities", call{method: http.MethodGet, path: mePath + "/identities"}, http.StatusForbidden, "Identities"},
		{"/v1/me/identities/:provider", call{method: http.MethodDelete, path: mePath + "/identities/google"}, http.StatusForbidden, "Disconnect"},
	}
	covered, refused := map[string]bool{}, map[string]bool{}
	for _, tt := range tests {
		api := newAPITest(t, Config{})
		api.sessions.Principals[legacyToken] = legacy
		tt.call.token = legacyToken
		what := tt.call.method + " " + tt.call.path + " (the password must be changed)"
		res := api.do(t, tt.call)
		switch {
		case tt.want == http.StatusForbidden && tt.call.method == http.MethodHead:
			res.wantStatus(t, what, http.StatusForbidden)
			res.wantNoBody(t, what)
		case tt.want == http.StatusForbidden:
			res.wantError(t, what, http.StatusForbidden, "password_change_required",
				"The password of this account must be changed first (PUT /api/v1/me/password).", nil)
		default:
			res.wantStatus(t, what, tt.want)
		}
		want := map[bool]int{true: 1, false: 0}[tt.want < 300]
		if n := api.account.Count(tt.method); n != want {
			t.Errorf("%s: %s called %d times, want %d", what, tt.method, n, want)
		}
		covered[tt.call.method+" "+tt.route] = true
		if tt.want == http.StatusForbidden && tt.call.method != http.MethodHead {
			refused[tt.call.method+" "+tt.route] = true
		}
	}

	// Every endpoint that takes a token is in the table, so a new one
	// cannot skip the decision; every refusing one documents its 403.
	param := regexp.MustCompile(`:([a-z]+)`)
	paths := readOutline(t).Paths
	for _, r := range (&Handler{}).routes() {
		takesToken := len(r.handlers) > 1
		if takesToken && !covered[r.method+" "+r.path] {
			t.Errorf("%s %s takes a token but is not checked for a caller who must change the password", r.method, r.path)
		}
		if !refused[r.method+" "+r.path] {
			continue
		}
		var op struct {
			Responses map[string]struct {
				Ref string `json:"$ref"`
			} `json:"responses"`
		}
		docPath := param.ReplaceAllString(strings.TrimPrefix(r.path, "/v1"), "{$1}")
		if err := json.Unmarshal(paths[docPath][strings.ToLower(r.method)], &op); err != nil {
			t.Fatalf("openapi.json %s %s: %v", r.method, docPath, err)
		}
		if got := op.Responses["403"].Ref; got != "#/components/responses/PasswordChangeRequired" {
			t.Errorf("openapi.json %s %s 403 = %q, want the PasswordChangeRequired response", r.method, docPath, got)
		}
	}

	// A caller whose password is fine reaches the same endpoints.
	api := newAPITest(t, Config{})
	for _, c := range []call{{method: http.MethodGet, path: sessionsPath}, {method: http.MethodDelete, path: sessionsPath + "/40"}} {
		c.token = aliceToken
		if res := api.do(t, c); res.status >= 300 {
			t.Errorf("%s %s by a caller whose password is fine = %d, want success", c.method, c.path, res.status)
		}
	}
}
