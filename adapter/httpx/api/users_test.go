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

const usersPath = "/api/v1/users"

// TestCreateUser signs up: the use case gets the body's fields and the
// client, and the new account comes back as a 201 User, times in UTC.
func TestCreateUser(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	api.registrar.RegisterFunc = func(in usecase.RegisterInput) (domain.User, error) {
		return domain.User{
			ID:           12,
			Username:     mustUsername(in.Username),
			PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
			CreatedAt:    time.Date(2026, 12, 4, 10, 30, 0, 250_000_000, cet),
			Role:         domain.RoleUser,
		}, nil
	}
	const what = "POST /api/v1/users"
	res := api.do(t, call{method: http.MethodPost, path: usersPath,
		body: `{"username":"Zoë","password":"correct horse battery staple"}`})
	res.wantStatus(t, what, http.StatusCreated)
	body := res.wantJSON(t, what, `{"id":12,"username":"Zoë","created_at":"2026-12-04T09:30:00.25Z"}`)
	wantDocumented(t, what, body, "User")
	wantArgs(t, what, onlyCall(t, what, &api.registrar.Calls, "Register"), usecase.RegisterInput{
		Username: "Zoë",
		Password: "correct horse battery staple",
		Client:   testClient,
	})
}

// TestCreateUserRefused covers what a signup can be refused with: each
// error of the use case becomes its status, code, fields and headers;
// a body the API cannot read never reaches the use case.
func TestCreateUserRefused(t *testing.T) {
	t.Parallel()
	const okBody = `{"username":"alice","password":"correct horse battery staple"}`
	tests := []struct {
		name        string
		body        string
		err         error // what Register answers
		wantStatus  int
		wantCode    string
		wantMessage string
		wantFields  map[string]string
		wantHeader  map[string]string
		wantCalls   int
	}{
		{
			name: "username taken", body: okBody,
			err:        fmt.Errorf("register %q: %w", "alice", domain.ErrUsernameTaken),
			wantStatus: http.StatusConflict, wantCode: "username_taken", wantMessage: "That username is already taken.",
			wantCalls: 1,
		},
		{
			name: "rules broken", body: `{"username":"al","password":"short"}`,
			err: &usecase.InvalidInputError{Fields: map[usecase.Input]string{
				usecase.InputUsername: "Username must be 3 to 32 characters long.",
				usecase.InputPassword: "Password must be at least 12 characters long.",
			}},
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgInvalidFields,
			wantFields: map[string]string{
				"username": "Username must be 3 to 32 characters long.",
				"password": "Password must be at least 12 characters long.",
			},
			wantCalls: 1,
		},
		{
			name: "throttled", body: okBody,
			err:        fmt.Errorf("register: %w", &domain.ThrottledError{RetryAfter: 1500 * time.Millisecond}),
			wantStatus: http.StatusTooManyRequests, wantCode: "throttled", wantMessage: "Too many attempts. Please wait 2 seconds and try again.",
			wantHeader: map[string]string{"Retry-After": "2"},
			wantCalls:  1,
		},
		{
			name: "throttled for an hour", body: okBody,
			err:        &domain.ThrottledError{RetryAfter: 59*time.Minute + 30*time.Second},
			wantStatus: http.StatusTooManyRequests, wantCode: "throttled", wantMessage: "Too many attempts. Please wait 60 minutes and try again.",
			wantHeader: map[string]string{"Retry-After": "3570"},
			wantCalls:  1,
		},
		{
			name: "hashing pool full", body: okBody,
			err:        fmt.Errorf("register: %w", domain.ErrUnavailable),
			wantStatus: http.StatusServiceUnavailable, wantCode: "unavailable", wantMessage: msgUnavailable,
			wantHeader: map[string]string{"Retry-After": "5"},
			wantCalls:  1,
		},
		{
			name: "a field the body may not set", body: `{"username":"alice","password":"correct horse battery staple","role":"admin"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"role": "Unknown field."},
		},
		{
			name: "a control character", body: `{"username":"ali\u0000ce","password":"correct horse battery staple"}`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: msgBadFields,
			wantFields: map[string]string{"username": "Must not contain control characters."},
		},
		{
			name: "not an object", body: `["alice"]`,
			wantStatus: http.StatusUnprocessableEntity, wantCode: "invalid_input", wantMessage: "The request body must be a JSON object.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newAPITest(t, Config{})
			api.registrar.RegisterFunc = func(usecase.RegisterInput) (domain.User, error) {
				if tt.err == nil {
					return domain.User{}, errors.New("test: Register must not be called")
				}
				return domain.User{}, tt.err
			}
			what := fmt.Sprintf("POST /api/v1/users (%s)", tt.name)
			res := api.do(t, call{method: http.MethodPost, path: usersPath, body: tt.body})
			res.wantError(t, what, tt.wantStatus, tt.wantCode, tt.wantMessage, tt.wantFields)
			for name, value := range tt.wantHeader {
				res.wantHeader(t, what, name, value)
			}
			if tt.wantHeader["Retry-After"] == "" {
				res.wantHeader(t, what, "Retry-After", "")
			}
			if n := api.registrar.Count("Register"); n != tt.wantCalls {
				t.Errorf("%s: Register called %d times, want %d", what, n, tt.wantCalls)
			}
		})
	}
}
