package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx/httpxtest"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// fakePasskeys is an httpx.Passkeys that records what it was asked and
// answers with its fields.
type fakePasskeys struct {
	list       []domain.Passkey
	options    []byte
	login      usecase.LoginResult
	err        error
	loginInput usecase.PasskeyLoginInput
	name       string
	response   []byte
}

func (f *fakePasskeys) Enabled() bool { return true }
func (f *fakePasskeys) List(context.Context, usecase.Principal) ([]domain.Passkey, error) {
	return f.list, nil
}
func (f *fakePasskeys) BeginRegistration(context.Context, usecase.Principal) ([]byte, error) {
	return f.options, f.err
}
func (f *fakePasskeys) FinishRegistration(_ context.Context, _ usecase.Principal, name string, response []byte, _ usecase.Client) (domain.Token, domain.Session, error) {
	f.name, f.response = name, response
	return rigToken, domain.Session{ID: 42, ExpiresAt: rigClock{}.Now().Add(time.Hour)}, f.err
}
func (f *fakePasskeys) Rename(_ context.Context, _ usecase.Principal, _ domain.PasskeyID, name string, _ usecase.Client) error {
	f.name = name
	return f.err
}
func (f *fakePasskeys) Remove(context.Context, usecase.Principal, domain.PasskeyID, string, usecase.Client) (domain.Token, domain.Session, error) {
	return rigToken, domain.Session{ID: 42}, f.err
}
func (f *fakePasskeys) BeginLogin(context.Context) ([]byte, error) { return f.options, f.err }
func (f *fakePasskeys) Login(_ context.Context, in usecase.PasskeyLoginInput) (usecase.LoginResult, error) {
	f.loginInput = in
	return f.login, f.err
}
func (f *fakePasskeys) OffersPasskey(context.Context, string) bool { return true }
func (f *fakePasskeys) BeginSecondStep(context.Context, string) ([]byte, error) {
	return f.options, f.err
}
func (f *fakePasskeys) CompleteLogin(context.Context, usecase.PasskeySecondStepInput) (usecase.LoginResult, error) {
	return f.login, f.err
}

// TestPasskeysOffOnTheSite: without passkeys the routes are 404 and the
// pages offer none.
func TestPasskeysOffOnTheSite(t *testing.T) {
	r := newSiteRig(t, rigPrincipal(domain.RoleUser))
	if res := r.do(t, siteCall{method: http.MethodGet, target: "/account/passkeys", signedIn: true}); res.status != http.StatusNotFound {
		t.Errorf("GET /account/passkeys (off) = %d, want 404", res.status)
	}
	for _, path := range []string{"/login/passkey/options", "/login/passkey", "/login/2fa/passkey/options"} {
		if res := r.do(t, siteCall{method: http.MethodPost, target: path}); res.status != http.StatusNotFound {
			t.Errorf("POST %s (off) = %d, want 404", path, res.status)
		}
	}
	if res := r.do(t, siteCall{method: http.MethodGet, target: "/login"}); strings.Contains(res.body, "webauthn") || strings.Contains(res.body, "passkeys.") {
		t.Errorf("GET /login (off) offers passkeys")
	}
}

// TestPasskeyLoginOnTheSite: the options are JSON, never stored; the
// answer goes to the use case with the form's remember and the device
// cookie; a refusal is the login page's 401 with one message, a success
// the login's redirect with a session cookie.
func TestPasskeyLoginOnTheSite(t *testing.T) {
	r := newSiteRig(t, rigPrincipal(domain.RoleUser))
	fake := &fakePasskeys{options: []byte(`{"publicKey":{"challenge":"abc"}}`)}
	r.h.passkeys = fake

	login := r.do(t, siteCall{method: http.MethodGet, target: "/login"})
	if !strings.Contains(login.body, `autocomplete="username webauthn"`) || !strings.Contains(login.body, `action="/login/passkey"`) {
		t.Errorf("GET /login lacks passkey autofill or the passkey form")
	}
	opts := r.do(t, siteCall{method: http.MethodPost, target: "/login/passkey/options"})
	if opts.status != http.StatusOK || opts.body != string(fake.options) || opts.header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(opts.header.Get("Content-Type"), "application/json") {
		t.Errorf("POST /login/passkey/options = %d %q (%s, %s), want the options as JSON, no-store", opts.status, opts.body, opts.header.Get("Content-Type"), opts.header.Get("Cache-Control"))
	}
	if res := r.do(t, siteCall{method: http.MethodPost, target: "/login/passkey/options", noToken: true}); res.status != http.StatusForbidden {
		t.Errorf("POST /login/passkey/options without a CSRF token = %d, want 403", res.status)
	}

	form := url.Values{"credential": {`{"id":"x"}`}, "remember": {"on"}, "next": {"/account"}}
	fake.err = usecase.ErrPasskeyLoginFailed
	refused := r.do(t, siteCall{method: http.MethodPost, target: "/login/passkey", form: form})
	if refused.status != http.StatusUnauthorized || !strings.Contains(refused.body, "The passkey was not accepted") {
		t.Errorf("POST /login/passkey (refused) = %d, want 401 with the passkey's message", refused.status)
	}
	if string(fake.loginInput.Response) != `{"id":"x"}` || !fake.loginInput.Remember {
		t.Errorf("Login got %+v, want the credential and remember", fake.loginInput)
	}
	fake.err = domain.ErrAccountDisabled
	if res := r.do(t, siteCall{method: http.MethodPost, target: "/login/passkey", form: form}); res.status != http.StatusForbidden {
		t.Errorf("POST /login/passkey (disabled) = %d, want 403", res.status)
	}

	fake.err = nil
	fake.login = usecase.LoginResult{User: rigPrincipal(domain.RoleUser).User, Token: rigToken, Session: domain.Session{ID: 9}, Device: "device"}
	ok := r.do(t, siteCall{method: http.MethodPost, target: "/login/passkey", form: form})
	if ok.status != http.StatusSeeOther || ok.header.Get("Location") != "/account" || !strings.Contains(strings.Join(ok.header.Values("Set-Cookie"), "\n"), sessionCookieName+"=") {
		t.Errorf("POST /login/passkey = %d (%s), want 303 to next with the session cookie", ok.status, ok.header.Get("Location"))
	}
}

// TestPasskeyPageOnTheSite: the page lists the passkeys; adding one
// passes the name and the answer on and replaces the session; a refused
// name comes back as a 422 on its field, the typed name kept; a malformed
// id is a 404.
func TestPasskeyPageOnTheSite(t *testing.T) {
	r := newSiteRig(t, rigPrincipal(domain.RoleUser))
	name, _ := domain.NewPasskeyName("Laptop")
	fake := &fakePasskeys{list: []domain.Passkey{{ID: 3, Name: name, CreatedAt: rigClock{}.Now()}}}
	r.h.passkeys = fake

	page := r.do(t, siteCall{method: http.MethodGet, target: "/account/passkeys", signedIn: true})
	if page.status != http.StatusOK || !strings.Contains(page.body, "Laptop") || !strings.Contains(page.body, `action="/account/passkeys/3/remove"`) || !strings.Contains(page.body, "Never") {
		t.Errorf("GET /account/passkeys = %d, want Laptop, never used, with its forms", page.status)
	}
	add := r.do(t, siteCall{method: http.MethodPost, target: "/account/passkeys", signedIn: true, form: url.Values{"passkey_name": {"Phone"}, "credential": {`{"id":"y"}`}}})
	if add.status != http.StatusSeeOther || add.header.Get("Location") != "/account/passkeys?notice=passkey-added" || fake.name != "Phone" || string(fake.response) != `{"id":"y"}` {
		t.Errorf("POST /account/passkeys = %d (%s), use case got %q %q; want 303 to the list with the name and answer passed on", add.status, add.header.Get("Location"), fake.name, fake.response)
	}
	fake.err = &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputPasskeyName: "Please give the passkey a name of 1 to 64 characters."}}
	bad := r.do(t, siteCall{method: http.MethodPost, target: "/account/passkeys", signedIn: true, form: url.Values{"passkey_name": {"\u202e"}, "credential": {`{}`}}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="passkey-name-error"`) || !strings.Contains(bad.body, `aria-invalid="true"`) {
		t.Errorf("POST /account/passkeys (bad name) = %d, want 422 with the message on passkey_name", bad.status)
	}
	if res := r.do(t, siteCall{method: http.MethodPost, target: "/account/passkeys/abc/rename", signedIn: true, form: url.Values{"passkey_name": {"x"}}}); res.status != http.StatusNotFound {
		t.Errorf("POST /account/passkeys/abc/rename = %d, want 404", res.status)
	}
	fake.err = errors.New("database down")
	if res := r.do(t, siteCall{method: http.MethodPost, target: "/account/passkeys/3/rename", signedIn: true, form: url.Values{"passkey_name": {"x"}}}); res.status != http.StatusInternalServerError || strings.Contains(res.body, "database down") {
		t.Errorf("POST rename (store fails) = %d, want a 500 that does not show the error", res.status)
	}
}

// TestWrongCodeKeepsThePasskeyOffer: a refused code on /login/2fa brings
// the page back with the code's message and, for an account with a
// passkey, still offers the passkey instead.
func TestWrongCodeKeepsThePasskeyOffer(t *testing.T) {
	r := newSiteRig(t, rigPrincipal(domain.RoleUser))
	r.h.passkeys = &fakePasskeys{}
	r.h.twoFactor = &httpxtest.TwoFactor{Err: &usecase.InvalidInputError{Fields: map[usecase.Input]string{usecase.InputCode: "That code is not correct."}}}
	res := r.do(t, siteCall{method: http.MethodPost, target: "/login/2fa", form: url.Values{"code": {"123456"}},
		header: map[string]string{"Cookie": visitorCookieName + "=" + rigVisitor.Reveal() + "; " + challengeCookieName + "=challenge"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "That code is not correct.") {
		t.Fatalf("POST /login/2fa (wrong code) = %d, want 422 with the code's message; body:\n%s", res.status, res.body)
	}
	if !strings.Contains(res.body, `action="/login/2fa/passkey"`) {
		t.Errorf("POST /login/2fa (wrong code) no longer offers the passkey")
	}
}
