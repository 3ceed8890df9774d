// Package httpxtest holds fakes of the driving ports (package httpx), for
// the handler tests of the site and the API. Each fake records the calls
// it gets and answers with what its function field returns; a nil field
// answers with zero values. They stand in for use cases, not stores, so
// they keep no rules of their own: a test says what each call answers.
package httpxtest

import (
	"context"
	"sync"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Calls records the calls a fake got, by method name, with their main
// argument, safe for handlers running concurrently.
type Calls struct {
	mu  sync.Mutex
	got []Call
}

// Call is one recorded call: the method and its arguments after ctx.
type Call struct {
	Method string
	Args   []any
}

func (c *Calls) add(method string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, Call{Method: method, Args: args})
}

// Of returns the recorded calls of method, oldest first.
func (c *Calls) Of(method string) []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Call
	for _, call := range c.got {
		if call.Method == method {
			out = append(out, call)
		}
	}
	return out
}

// Count returns how many calls of method were recorded.
func (c *Calls) Count(method string) int { return len(c.Of(method)) }

// Registrar is a fake httpx.Registrar.
type Registrar struct {
	Calls
	RegisterFunc func(in usecase.RegisterInput) (domain.User, error)
}

func (f *Registrar) Register(_ context.Context, in usecase.RegisterInput) (domain.User, error) {
	f.add("Register", in)
	if f.RegisterFunc == nil {
		return domain.User{}, nil
	}
	return f.RegisterFunc(in)
}

// Authenticator is a fake httpx.Authenticator.
type Authenticator struct {
	Calls
	LoginFunc func(in usecase.LoginInput) (usecase.LoginResult, error)
}

func (f *Authenticator) Login(_ context.Context, in usecase.LoginInput) (usecase.LoginResult, error) {
	f.add("Login", in)
	if f.LoginFunc == nil {
		return usecase.LoginResult{}, nil
	}
	return f.LoginFunc(in)
}

// Sessions is a fake httpx.Sessions. Principals maps a token to the
// principal it resolves to; any other token is domain.ErrUnauthenticated,
// unless ResolveErr is set.
type Sessions struct {
	Calls
	Principals map[domain.Token]usecase.Principal
	ResolveErr error
	RevokeErr  error
}

func (f *Sessions) Resolve(_ context.Context, token domain.Token) (usecase.Principal, error) {
	f.add("Resolve", token)
	if f.ResolveErr != nil {
		return usecase.Principal{}, f.ResolveErr
	}
	p, ok := f.Principals[token]
	if !ok {
		return usecase.Principal{}, domain.ErrUnauthenticated
	}
	return p, nil
}

func (f *Sessions) Revoke(_ context.Context, token domain.Token) error {
	f.add("Revoke", token)
	return f.RevokeErr
}

// Account is a fake httpx.Account.
type Account struct {
	Calls
	ChangePasswordFunc      func(p usecase.Principal, current, next string) (domain.Token, domain.Session, error)
	SessionsFunc            func(p usecase.Principal) ([]domain.Session, error)
	RevokeSessionFunc       func(p usecase.Principal, id domain.SessionID) error
	RevokeOtherSessionsFunc func(p usecase.Principal) (int64, error)
	LogoutFunc              func(p usecase.Principal) error
	DeleteFunc              func(p usecase.Principal, password string) error
	RecentActivityFunc      func(p usecase.Principal) ([]domain.SecurityEvent, error)
	PreviousLoginFunc       func(p usecase.Principal) (domain.PreviousLogin, bool, error)
	// SetDisplayNameFunc answers SetDisplayName; nil answers p's account
	// with the name raw as given (the use case's normalizing is not
	// faked).
	SetDisplayNameFunc func(p usecase.Principal, raw string) (domain.User, error)
}

func (f *Account) ChangePassword(_ context.Context, p usecase.Principal, current, next string, c usecase.Client) (domain.Token, domain.Session, error) {
	f.add("ChangePassword", p, current, next, c)
	if f.ChangePasswordFunc == nil {
		return "", domain.Session{}, nil
	}
	return f.ChangePasswordFunc(p, current, next)
}

func (f *Account) Sessions(_ context.Context, p usecase.Principal) ([]domain.Session, error) {
	f.add("Sessions", p)
	if f.SessionsFunc == nil {
		return nil, nil
	}
	return f.SessionsFunc(p)
}

func (f *Account) RevokeSession(_ context.Context, p usecase.Principal, id domain.SessionID, c usecase.Client) error {
	f.add("RevokeSession", p, id, c)
	if f.RevokeSessionFunc == nil {
		return nil
	}
	return f.RevokeSessionFunc(p, id)
}

func (f *Account) RevokeOtherSessions(_ context.Context, p usecase.Principal, c usecase.Client) (int64, error) {
	f.add("RevokeOtherSessions", p, c)
	if f.RevokeOtherSessionsFunc == nil {
		return 0, nil
	}
	return f.RevokeOtherSessionsFunc(p)
}

func (f *Account) Logout(_ context.Context, p usecase.Principal, c usecase.Client) error {
	f.add("Logout", p, c)
	if f.LogoutFunc == nil {
		return nil
	}
	return f.LogoutFunc(p)
}

func (f *Account) Delete(_ context.Context, p usecase.Principal, password string, c usecase.Client) error {
	f.add("Delete", p, password, c)
	if f.DeleteFunc == nil {
		return nil
	}
	return f.DeleteFunc(p, password)
}

func (f *Account) RecentActivity(_ context.Context, p usecase.Principal) ([]domain.SecurityEvent, error) {
	f.add("RecentActivity", p)
	if f.RecentActivityFunc == nil {
		return nil, nil
	}
	return f.RecentActivityFunc(p)
}

func (f *Account) PreviousLogin(_ context.Context, p usecase.Principal) (domain.PreviousLogin, bool, error) {
	f.add("PreviousLogin", p)
	if f.PreviousLoginFunc == nil {
		return domain.PreviousLogin{}, false, nil
	}
	return f.PreviousLoginFunc(p)
}

func (f *Account) SetDisplayName(_ context.Context, p usecase.Principal, raw string, c usecase.Client) (domain.User, error) {
	f.add("SetDisplayName", p, raw, c)
	if f.SetDisplayNameFunc == nil {
		u := p.User
		u.DisplayName = domain.RestoreDisplayName(raw)
		return u, nil
	}
	return f.SetDisplayNameFunc(p, raw)
}

// Admin is a fake httpx.Admin. ActionErr answers every action (Disable,
// Enable, ClearThrottle, RevokeSessions, SetRole).
type Admin struct {
	Calls
	ListFunc  func(actor usecase.Actor, search string, page int) (usecase.UserPage, error)
	ActionErr error
}

func (f *Admin) List(_ context.Context, actor usecase.Actor, search string, page int) (usecase.UserPage, error) {
	f.add("List", actor, search, page)
	if f.ListFunc == nil {
		return usecase.UserPage{}, nil
	}
	return f.ListFunc(actor, search, page)
}

func (f *Admin) Disable(_ context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) error {
	f.add("Disable", actor, id, c)
	return f.ActionErr
}

func (f *Admin) Enable(_ context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) error {
	f.add("Enable", actor, id, c)
	return f.ActionErr
}

func (f *Admin) ClearThrottle(_ context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) error {
	f.add("ClearThrottle", actor, id, c)
	return f.ActionErr
}

func (f *Admin) RevokeSessions(_ context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) (int64, error) {
	f.add("RevokeSessions", actor, id, c)
	return 0, f.ActionErr
}

func (f *Admin) SetRole(_ context.Context, actor usecase.Actor, id domain.UserID, role domain.Role, c usecase.Client) error {
	f.add("SetRole", actor, id, role, c)
	return f.ActionErr
}

// The fakes fit the ports.
var (
	_ httpx.Registrar     = (*Registrar)(nil)
	_ httpx.Authenticator = (*Authenticator)(nil)
	_ httpx.Sessions      = (*Sessions)(nil)
	_ httpx.Account       = (*Account)(nil)
	_ httpx.Admin         = (*Admin)(nil)
)

// TwoFactor is a fake httpx.TwoFactor: the authenticator app is off
// (unless On), every enrollment shows Secret, and new recovery codes are
// RecoveryCodes.
type TwoFactor struct {
	Calls
	Secret string
	// RecoveryCodes are what Confirm and RegenerateRecoveryCodes issue.
	RecoveryCodes []string
	// On makes Setup report the app on, with Status.
	On     bool
	Status usecase.TwoFactorStatus
	Err    error
}

func (f *TwoFactor) Enabled(_ context.Context, user domain.UserID) (bool, error) {
	f.add("Enabled", user)
	return false, f.Err
}

func (f *TwoFactor) Setup(_ context.Context, p usecase.Principal) (usecase.TOTPState, error) {
	f.add("Setup", p)
	if f.On {
		return usecase.TOTPState{Enabled: true, Status: f.Status}, nil
	}
	return usecase.TOTPState{Secret: f.Secret}, f.Err
}

func (f *TwoFactor) QRCode(_ context.Context, p usecase.Principal) ([]byte, error) {
	f.add("QRCode", p)
	return []byte("\x89PNG"), f.Err
}

func (f *TwoFactor) Confirm(_ context.Context, p usecase.Principal, code string, c usecase.Client) (usecase.IssuedCodes, error) {
	f.add("Confirm", p, code, c)
	if f.Err != nil {
		return usecase.IssuedCodes{}, f.Err
	}
	return f.issued(), nil
}

func (f *TwoFactor) RegenerateRecoveryCodes(_ context.Context, p usecase.Principal, code string, c usecase.Client) (usecase.IssuedCodes, error) {
	f.add("RegenerateRecoveryCodes", p, code, c)
	if f.Err != nil {
		return usecase.IssuedCodes{}, f.Err
	}
	return f.issued(), nil
}

// issued is what a successful Confirm or RegenerateRecoveryCodes
// returns: RecoveryCodes, with a new session.
func (f *TwoFactor) issued() usecase.IssuedCodes {
	return usecase.IssuedCodes{Token: "new-session-token", RecoveryCodes: f.RecoveryCodes}
}

func (f *TwoFactor) Disable(_ context.Context, p usecase.Principal, password, code string, c usecase.Client) (domain.Token, domain.Session, error) {
	f.add("Disable", p, password, code, c)
	return "", domain.Session{}, f.Err
}

func (f *TwoFactor) CompleteLogin(_ context.Context, in usecase.SecondStepInput) (usecase.LoginResult, error) {
	f.add("CompleteLogin", in)
	return usecase.LoginResult{}, f.Err
}

// Recovery is a fake httpx.Recovery: each call answers what its function
// returns (nil when unset).
type Recovery struct {
	Calls
	RequestFunc func(address string) error
	ResetFunc   func(in usecase.ResetInput) error
}

func (f *Recovery) Request(_ context.Context, address string, c usecase.Client) error {
	f.add("Request", address, c)
	if f.RequestFunc == nil {
		return nil
	}
	return f.RequestFunc(address)
}

func (f *Recovery) Reset(_ context.Context, in usecase.ResetInput) error {
	f.add("Reset", in)
	if f.ResetFunc == nil {
		return nil
	}
	return f.ResetFunc(in)
}

var _ httpx.Recovery = (*Recovery)(nil)
