package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestRequestRecovery: POST /recovery needs no token, hands the address
// to the use case and answers 202 with the one documented body; a bad
// address is a 422 on email and too many requests a 429.
func TestRequestRecovery(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	const what = "POST /api/v1/recovery"
	res := api.do(t, call{method: http.MethodPost, path: "/api/v1/recovery", body: `{"email": "alice@example.com"}`})
	res.wantStatus(t, what, http.StatusAccepted)
	body := res.wantJSON(t, what, `{"message": "`+recoverySent+`"}`)
	wantDocumented(t, what, body, "Accepted")
	if calls := api.recovery.Of("Request"); len(calls) != 1 || calls[0].Args[0] != "alice@example.com" {
		t.Errorf("%s calls = %v, want Request(alice@example.com)", what, calls)
	}

	api.recovery.RequestFunc = func(string) error {
		return &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputEmail: "Enter one address."}}
	}
	api.do(t, call{method: http.MethodPost, path: "/api/v1/recovery", body: `{"email": "nonsense"}`}).
		wantError(t, what+" (bad address)", http.StatusUnprocessableEntity, "invalid_input", "", map[string]string{"email": "Enter one address."})
	api.recovery.RequestFunc = func(string) error { return &domain.ThrottledError{RetryAfter: 90 * time.Second} }
	throttled := api.do(t, call{method: http.MethodPost, path: "/api/v1/recovery", body: `{"email": "alice@example.com"}`})
	throttled.wantError(t, what+" (throttled)", http.StatusTooManyRequests, "throttled", "", nil)
	throttled.wantHeader(t, what+" (throttled)", "Retry-After", "90")
	api.do(t, call{method: http.MethodPost, path: "/api/v1/recovery", body: `{"email": 7}`}).
		wantError(t, what+" (not a string)", http.StatusUnprocessableEntity, "invalid_input", "", map[string]string{"email": "Must be a string."})
}

// TestResetPasswordAPI: POST /recovery/reset hands the three fields to
// the use case and answers 204; a refused code is a 422 on code.
func TestResetPasswordAPI(t *testing.T) {
	t.Parallel()
	api := newAPITest(t, Config{})
	const what = "POST /api/v1/recovery/reset"
	body := `{"email": "alice@example.com", "code": "K7QW3MZP", "new_password": "a brand new passphrase"}`
	res := api.do(t, call{method: http.MethodPost, path: "/api/v1/recovery/reset", body: body})
	res.wantStatus(t, what, http.StatusNoContent)
	res.wantNoBody(t, what)
	calls := api.recovery.Of("Reset")
	if len(calls) != 1 {
		t.Fatalf("%s calls = %v, want one Reset", what, calls)
	}
	if in := calls[0].Args[0].(usecase.ResetInput); in.Email != "alice@example.com" || in.Code != "K7QW3MZP" || in.NewPassword != "a brand new passphrase" {
		t.Errorf("%s Reset(%+v), want the body's fields", what, in)
	}
	api.recovery.ResetFunc = func(usecase.ResetInput) error {
		return &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputCode: "This code is not right."}}
	}
	api.do(t, call{method: http.MethodPost, path: "/api/v1/recovery/reset", body: body}).
		wantError(t, what+" (wrong code)", http.StatusUnprocessableEntity, "invalid_input", "", map[string]string{"code": "This code is not right."})
}
