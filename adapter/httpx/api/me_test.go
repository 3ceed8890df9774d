package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

const (
	mePath       = "/api/v1/me"
	passwordPath = "/api/v1/me/password"
)

// TestMe shows the caller's account from the principal, times in UTC,
// with the previous login the use case finds for that principal (null
// when it finds none) and whether the password must change first.
func TestMe(t *testing.T) {
	t.Parallel()
	admin := alice
	admin.User.Role = domain.RoleAdmin
	admin.User.MustChangePassword = true
	tests := []struct {
		name      string
		principal usecase.Principal
		previous  domain.PreviousLogin
		found     bool
		want      string
	}{
		{
			name: "previous login", principal: alice,
			previous: domain.PreviousLogin{Known: true, At: time.Date(2026, 12, 2, 20, 15, 0, 0, cet), IP: "203.0.113.9"}, found: true,
			want: `{"id": 7, "username": "Alice", "display_name": null, "role": "user", "created_at": "2026-11-26T09:00:00Z",
				"must_change_password": false, "last_login": {"at": "2026-12-02T19:15:00Z", "ip": "203.0.113.9"}, "email": null, "email_verified": false}`,
		},
		{
			name: "previous login from an unknown address", principal: alice,
			previous: domain.PreviousLogin{At: time.Date(2026, 12, 2, 19, 15, 0, 0, time.UTC)}, found: true,
			want: `{"id": 7, "username": "Alice", "display_name": null, "role": "user", "created_at": "2026-11-26T09:00:00Z",
				"must_change_password": false, "last_login": {"at": "2026-12-02T19:15:00Z", "ip": ""}, "email": null, "email_verified": false}`,
		},
		{
			name: "first login", principal: alice,
			want: `{"id": 7, "username": "Alice", "display_name": null, "role": "user", "created_at": "2026-11-26T09:00:00Z",
				"must_change_password": false, "last_login": null, "email": null, "email_verified": false}`,
		},
		{
			name: "must change password", principal: admin,
			want: `{"id": 7, "username": "Alice", "display_name": null, "role": "admin", "created_at": "2026-11-26T09:00:00Z",
				"must_change_password": true, "last_login": null, "email": null, "email_verified": false}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			token := domain.NewToken([domain.TokenBytes]byte{7})
			api.sessions.Principals[token] = tt.principal
			api.account.PreviousLoginFunc = func(usecase.Principal) (domain.PreviousLogin, bool, error) {
				return tt.previous, tt.found, nil
			}
			what := fmt.Sprintf("GET /api/v1/me (%s)", tt.name)
			res := api.do(t, call{method: http.MethodGet, path: mePath, token: token})
			res.wantStatus(t, what, http.StatusOK)
			body := res.wantJSON(t, what, tt.want)
			wantDocumented(t, what, body, "Me")
			if tt.found {
				wantDocumented(t, what, body["last_login"], "Login")
			}
			wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "PreviousLogin"), tt.principal)
		})
	}
}

// TestChangePassword replaces the password: the use case gets the
// caller, both passwords and the client, and the 204 carries the new
// token and when its session ends (UTC, RFC 3339 with fractions).
func TestChangePassword(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	next := domain.NewToken([domain.TokenBytes]byte{8, 8})
	api.account.ChangePasswordFunc = func(usecase.Principal, string, string) (domain.Token, domain.Session, error) {
		return next, domain.Session{ID: 51, UserID: alice.User.ID, ExpiresAt: time.Date(2026, 12, 4, 13, 0, 0, 500_000_000, cet)}, nil
	}
	const what = "PUT /api/v1/me/password"
	res := api.do(t, call{method: http.MethodPut, path: passwordPath, token: aliceToken,
		body: `{"current_password":"correct horse battery staple","new_password":"purple monkey dishwasher"}`})
	res.wantStatus(t, what, http.StatusNoContent)
	res.wantNoBody(t, what)
	res.wantHeader(t, what, "Gatehouse-Token", next.Reveal())
	res.wantHeader(t, what, "Gatehouse-Token-Expires-At", "2026-12-04T12:00:00.5Z")
	wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "ChangePassword"),
		alice, "correct horse battery staple", "purple monkey dishwasher", testClient)
}

// TestChangePasswordRefused covers the refusals: the use case's invalid
// inputs come back under the body's names (a wrong current password on
// current_password), and a body the API cannot read never reaches it.
// No refusal carries a new token.
func TestChangePasswordRefused(t *testing.T) {
	t.Parallel()
	const okBody = `{"current_password":"wrong password","new_password":"purple monkey dishwasher"}`
	tests := []struct {
		name        string
		body        string
		err         error // what ChangePassword answers
		wantMessage string
		wantFields  map[string]string
	}{
		{
			name: "wrong current password", body: okBody,
			err:         &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputCurrentPassword: "That is not your current password."}},
			wantMessage: msgInvalidFields,
			wantFields:  map[string]string{"current_password": "That is not your current password."},
		},
		{
			name: "new password breaks the rules", body: okBody,
			err: fmt.Errorf("change password: %w", &usecase.InvalidInputError{Fields: map[usecase.Input]string{
				usecase.InputNewPassword: "Password must not contain the username.",
			}}),
			wantMessage: msgInvalidFields,
			wantFields:  map[string]string{"new_password": "Password must not contain the username."},
		},
		{
			name: "fields of the login body", body: `{"password":"correct horse battery staple","new_password":"purple monkey dishwasher"}`,
			wantMessage: msgBadFields,
			wantFields:  map[string]string{"password": "Unknown field."},
		},
		{
			name: "repeated field", body: `{"current_password":"a","new_password":"b","new_password":"c"}`,
			wantMessage: msgBadFields,
			wantFields:  map[string]string{"new_password": "Appears more than once."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			api.account.ChangePasswordFunc = func(usecase.Principal, string, string) (domain.Token, domain.Session, error) {
				if tt.err == nil {
					return "", domain.Session{}, errors.New("test: ChangePassword must not be called")
				}
				return "", domain.Session{}, tt.err
			}
			what := fmt.Sprintf("PUT /api/v1/me/password (%s)", tt.name)
			res := api.do(t, call{method: http.MethodPut, path: passwordPath, token: aliceToken, body: tt.body})
			res.wantError(t, what, http.StatusUnprocessableEntity, "invalid_input", tt.wantMessage, tt.wantFields)
			res.wantHeader(t, what, "Gatehouse-Token", "")
			res.wantHeader(t, what, "Gatehouse-Token-Expires-At", "")
			wantCalls := 0
			if tt.err != nil {
				wantCalls = 1
			}
			if n := api.account.Count("ChangePassword"); n != wantCalls {
				t.Errorf("%s: ChangePassword called %d times, want %d", what, n, wantCalls)
			}
		})
	}
}
