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

const sessionsPath = "/api/v1/sessions"

// TestCreateSession logs in: the body's fields (remember passed through
// as sent, false when left out) and the client reach the use case, and
// the answer is a 201 with the new token, when its session ends (UTC),
// whose it is and the new device token. A device_token sent reaches the
// use case as its device proof.
func TestCreateSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		body         string
		wantRemember bool
		wantDevice   string
	}{
		{"remember", `{"username":"alice","password":"correct horse battery staple","remember":true}`, true, ""},
		{"do not remember", `{"username":"alice","password":"correct horse battery staple","remember":false}`, false, ""},
		{"remember left out", `{"username":"alice","password":"correct horse battery staple"}`, false, ""},
		{"device token", `{"username":"alice","password":"correct horse battery staple","device_token":"7.old.proof"}`, false, "7.old.proof"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			token := domain.NewToken([domain.TokenBytes]byte{4, 5, 6})
			api.auth.LoginFunc = func(in usecase.LoginInput) (usecase.LoginResult, error) {
				return usecase.LoginResult{
					User:    alice.User,
					Session: domain.Session{ID: 50, UserID: alice.User.ID, ExpiresAt: time.Date(2026, 12, 4, 12, 0, 0, 0, cet)},
					Token:   token,
					Device:  "7.new.proof",
				}, nil
			}
			what := fmt.Sprintf("POST /api/v1/sessions (%s)", tt.name)
			res := api.do(t, call{method: http.MethodPost, path: sessionsPath, body: tt.body})
			res.wantStatus(t, what, http.StatusCreated)
			body := res.wantJSON(t, what, `{
				"token": "`+token.Reveal()+`",
				"expires_at": "2026-12-04T11:00:00Z",
				"user": {"id": 7, "username": "Alice", "created_at": "2026-11-26T09:00:00Z"},
				"device_token": "7.new.proof"
			}`)
			wantDocumented(t, what, body, "NewSession")
			wantDocumented(t, what, body["user"], "User")
			wantArgs(t, what, onlyCall(t, what, &api.auth.Calls, "Login"), usecase.LoginInput{
				Username: "alice",
				Password: "correct horse battery staple",
				Remember: tt.wantRemember,
				Client:   testClient,
				Device:   tt.wantDevice,
			})
		})
	}
}

// TestCreateSessionRefused covers the refusals of a login: a username or
// password left out is a 422 before any Login call (no hashing for an
// empty form); the use case's errors become their status, code and
// headers, the failed credentials one generic 401.
func TestCreateSessionRefused(t *testing.T) {
	t.Parallel()
	const okBody = `{"username":"alice","password":"wrong password"}`
	const msgMissing = "Please enter your username and your password."
	tests := []struct {
		name        string
		body        string
		err         error // what Login answers
		wantStatus  int
		wantCode    string
		wantMessage string
		wantFields  map[string]string
		wantHeader  map[string]string
	}{
		{
			name: "no username", body: `{"username":"","password":"correct horse battery staple"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgMissing,
			wantFields: map[string]string{"username": "Please enter your username."},
		},
		{
			name: "no password", body: `{"username":"alice"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgMissing,
			wantFields: map[string]string{"password": "Please enter your password."},
		},
		{
			name: "empty object", body: `{}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgMissing,
			wantFields: map[string]string{"username": "Please enter your username.", "password": "Please enter your password."},
		},
		{
			name: "remember not a boolean", body: `{"username":"alice","password":"pw","remember":"yes"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"remember": "Must be true or false."},
		},
		{
			name: "invalid credentials", body: okBody,
			err:        fmt.Errorf("login %q: %w", "alice", domain.ErrInvalidCredentials),
			wantStatus: http.StatusUnauthorized, wantCode: "invalid_credentials", wantMessage: "Invalid username or password.",
			wantHeader: map[string]string{"WWW-Authenticate": challengeMissing},
		},
		{
			name: "account disabled", body: okBody,
			err:        fmt.Errorf("login: %w", domain.ErrAccountDisabled),
			wantStatus: http.StatusForbidden, wantCode: "forbidden", wantMessage: "This account has been disabled.",
		},
		{
			name: "throttled", body: okBody,
			err:        &domain.ThrottledError{RetryAfter: 30 * time.Second},
			wantStatus: http.StatusTooManyRequests, wantCode: "throttled", wantMessage: "Too many attempts. Please wait 30 seconds and try again.",
			wantHeader: map[string]string{"Retry-After": "30"},
		},
		{
			name: "hashing pool full", body: okBody,
			err:        fmt.Errorf("login: %w", domain.ErrUnavailable),
			wantStatus: http.StatusServiceUnavailable, wantCode: "unavailable", wantMessage: msgUnavailable,
			wantHeader: map[string]string{"Retry-After": "5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			api.auth.LoginFunc = func(usecase.LoginInput) (usecase.LoginResult, error) {
				if tt.err == nil {
					return usecase.LoginResult{}, errors.New("test: Login must not be called")
				}
				return usecase.LoginResult{}, tt.err
			}
			what := fmt.Sprintf("POST /api/v1/sessions (%s)", tt.name)
			res := api.do(t, call{method: http.MethodPost, path: sessionsPath, body: tt.body})
			res.wantError(t, what, tt.wantStatus, tt.wantCode, tt.wantMessage, tt.wantFields)
			for _, name := range []string{"WWW-Authenticate", "Retry-After"} {
				res.wantHeader(t, what, name, tt.wantHeader[name])
			}
			wantCalls := 0
			if tt.err != nil {
				wantCalls = 1
			}
			if n := api.auth.Count("Login"); n != wantCalls {
				t.Errorf("%s: Login called %d times, want %d", what, n, wantCalls)
			}
		})
	}
}

// TestListSessions lists the caller's sessions as the use case returns
// them, in its order, times in UTC, marking the one whose token made the
// request (and only that one) and those whose login passed a second
// factor.
func TestListSessions(t *testing.T) {
	t.Parallel()
	other := domain.Session{
		ID:          40,
		UserID:      alice.User.ID,
		CreatedAt:   time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC),
		LastSeenAt:  time.Date(2026, 12, 2, 9, 30, 0, 0, cet),
		IP:          "",
		UserAgent:   "",
		TwoFactorAt: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC),
	}
	tests := []struct {
		name     string
		sessions []domain.Session
		want     string
	}{
		{"two", []domain.Session{alice.Session, other}, `{"sessions": [
			{"id": 41, "created_at": "2026-12-03T09:00:00Z", "last_seen_at": "2026-12-03T09:05:00Z",
			 "ip": "198.51.100.7", "user_agent": "gatehouse-ios/2.1", "current": true, "two_factor": false},
			{"id": 40, "created_at": "2026-12-01T08:00:00Z", "last_seen_at": "2026-12-02T08:30:00Z",
			 "ip": "", "user_agent": "", "current": false, "two_factor": true}
		]}`},
		{"none", nil, `{"sessions": []}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			api.account.SessionsFunc = func(usecase.Principal) ([]domain.Session, error) { return tt.sessions, nil }
			what := fmt.Sprintf("GET /api/v1/sessions (%s)", tt.name)
			res := api.do(t, call{method: http.MethodGet, path: sessionsPath, token: aliceToken})
			res.wantStatus(t, what, http.StatusOK)
			body := res.wantJSON(t, what, tt.want)
			wantDocumented(t, what, body, "SessionList")
			list, _ := body["sessions"].([]any)
			for _, s := range list {
				wantDocumented(t, what, s, "Session")
			}
			wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "Sessions"), alice)
		})
	}
}

// TestDeleteCurrentSession logs out: a 204 without a body, after Logout
// with the caller's principal and client.
func TestDeleteCurrentSession(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	const what = "DELETE /api/v1/sessions/current"
	res := api.do(t, call{method: http.MethodDelete, path: sessionsPath + "/current", token: aliceToken})
	res.wantStatus(t, what, http.StatusNoContent)
	res.wantNoBody(t, what)
	wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "Logout"), alice, testClient)
	wantNoCall(t, what, &api.account.Calls, "RevokeSession")
}

// TestDeleteSession ends a session by id: the caller's own id logs out,
// as /sessions/current does; another is revoked through the use case,
// whose not-found is a 404; an id that is not the canonical decimal form
// of a positive int64 names nothing, a 404 before any use case runs.
func TestDeleteSession(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		id         string
		revokeErr  error
		wantStatus int
		wantLogout bool
		wantRevoke domain.SessionID // 0: RevokeSession must not be called
	}{
		{name: "own id", id: "41", wantStatus: http.StatusNoContent, wantLogout: true},
		{name: "another of the caller's", id: "40", wantStatus: http.StatusNoContent, wantRevoke: 40},
		{name: "largest id", id: "9223372036854775807", wantStatus: http.StatusNoContent, wantRevoke: 9223372036854775807},
		{name: "unknown id", id: "99", revokeErr: fmt.Errorf("revoke session 99: %w", domain.ErrNotFound), wantStatus: http.StatusNotFound, wantRevoke: 99},
		{name: "not a number", id: "abc", wantStatus: http.StatusNotFound},
		{name: "zero", id: "0", wantStatus: http.StatusNotFound},
		{name: "negative", id: "-40", wantStatus: http.StatusNotFound},
		{name: "leading zero", id: "040", wantStatus: http.StatusNotFound},
		{name: "plus sign", id: "+40", wantStatus: http.StatusNotFound},
		{name: "fraction", id: "4.0", wantStatus: http.StatusNotFound},
		{name: "over int64", id: "9223372036854775808", wantStatus: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			api.account.RevokeSessionFunc = func(usecase.Principal, domain.SessionID) error { return tt.revokeErr }
			what := fmt.Sprintf("DELETE /api/v1/sessions/%s (%s)", tt.id, tt.name)
			res := api.do(t, call{method: http.MethodDelete, path: sessionsPath + "/" + tt.id, token: aliceToken})
			if tt.wantStatus == http.StatusNoContent {
				res.wantStatus(t, what, http.StatusNoContent)
				res.wantNoBody(t, what)
			} else {
				res.wantError(t, what, tt.wantStatus, "not_found", msgNotFound, nil)
			}
			if tt.wantLogout {
				wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "Logout"), alice, testClient)
			} else {
				wantNoCall(t, what, &api.account.Calls, "Logout")
			}
			if tt.wantRevoke != 0 {
				wantArgs(t, what, onlyCall(t, what, &api.account.Calls, "RevokeSession"), alice, tt.wantRevoke, testClient)
			} else {
				wantNoCall(t, what, &api.account.Calls, "RevokeSession")
			}
		})
	}
}
