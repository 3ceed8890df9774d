package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestRecoverForms protects GET /recover and GET /recover/reset, and the
// login page's link to them.
func TestRecoverForms(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	r := s.stranger().get(t, "/recover")
	r.wantPage(t, "GET /recover", http.StatusOK, "Enter the email address you verified on your account.")
	if !strings.Contains(r.body, `action="/recover"`) || r.csrfField() == "" {
		t.Errorf("GET /recover lacks its form")
	}
	s.stranger().get(t, "/recover/reset").wantPage(t, "GET /recover/reset", http.StatusOK, "Choose a new password")
	if login := s.stranger().get(t, "/login"); !strings.Contains(login.body, `<a href="/recover">Forgot your password?</a>`) {
		t.Errorf("the login page lacks the link to /recover")
	}
}

// TestRequestRecovery protects POST /recover: the address goes to the
// use case, and the answer is the reset form with one notice, whatever
// the use case found; a bad address is a 422 next to the field, too
// many requests a 429 with Retry-After.
func TestRequestRecovery(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	v := s.anonymous(t)
	r := v.post(t, "/recover", url.Values{"email": {"alice@example.com"}})
	r.wantPage(t, "POST /recover", http.StatusOK, recoverySent)
	if got := callArgs(t, &s.recovery.Calls, "Request")[0].(string); got != "alice@example.com" {
		t.Errorf("Request(%q), want the typed address", got)
	}
	if !strings.Contains(r.body, `action="/recover/reset"`) || !strings.Contains(r.body, `id="email" value="alice@example.com"`) {
		t.Errorf("POST /recover: want the reset form with the address filled in")
	}

	s.recovery.RequestFunc = func(string) error {
		return &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputEmail: "Enter one address."}}
	}
	bad := v.post(t, "/recover", url.Values{"email": {"nonsense"}})
	bad.wantPage(t, "POST /recover (bad address)", http.StatusUnprocessableEntity, "Enter one address.")
	if bad.fieldError("email") != "Enter one address." {
		t.Errorf("the bad address's message is not next to the field")
	}
	s.recovery.RequestFunc = func(string) error { return &domain.ThrottledError{RetryAfter: 90 * time.Second} }
	throttled := v.post(t, "/recover", url.Values{"email": {"alice@example.com"}})
	if throttled.status != http.StatusTooManyRequests || throttled.header.Get("Retry-After") != "90" {
		t.Errorf("POST /recover (throttled) = %d, Retry-After %q, want 429, 90", throttled.status, throttled.header.Get("Retry-After"))
	}
}

// TestResetPassword protects POST /recover/reset: the fields reach the
// use case; success is a 303 to the login page's confirmation, with no
// session; a refused code re-renders the form with the address and the
// code, never the password.
func TestResetPassword(t *testing.T) {
	t.Parallel()
	s := newTestSite(t)
	v := s.anonymous(t)
	form := url.Values{"email": {"alice@example.com"}, "code": {"K7QW3MZP"}, "new_password": {"a brand new passphrase"}}
	r := v.post(t, "/recover/reset", form)
	r.wantRedirect(t, "POST /recover/reset", "/login?notice=password-reset")
	if r.cookie(s.cookieName(sessionCookieName)) != nil {
		t.Errorf("POST /recover/reset set a session cookie: a reset logs no one in")
	}
	in := callArgs(t, &s.recovery.Calls, "Reset")[0].(usecase.ResetInput)
	if in.Email != "alice@example.com" || in.Code != "K7QW3MZP" || in.NewPassword != "a brand new passphrase" {
		t.Errorf("Reset(%+v), want the form's fields", in)
	}
	s.stranger().get(t, "/login?notice=password-reset").wantPage(t, "the login page after a reset", http.StatusOK, "Your password has been changed. Please log in.")

	s.recovery.ResetFunc = func(usecase.ResetInput) error {
		return &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputCode: "This code is not right."}}
	}
	bad := v.post(t, "/recover/reset", form)
	bad.wantPage(t, "POST /recover/reset (wrong code)", http.StatusUnprocessableEntity, "This code is not right.")
	if bad.fieldError("code") != "This code is not right." || !strings.Contains(bad.body, `value="K7QW3MZP"`) ||
		!strings.Contains(bad.body, `value="alice@example.com"`) || strings.Contains(bad.body, "a brand new passphrase") {
		t.Errorf("the refused reset's form: want the message on code, the address and code kept, the password not")
	}
}
