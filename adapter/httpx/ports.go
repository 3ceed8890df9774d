package httpx

import (
	"context"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// The driving ports: what the deliveries ask of the use cases. Each is
// satisfied by the use case named in its comment, or by a wrapper of it
// (the metrics count logins and signups by standing in for them).

// Registrar creates accounts (usecase.Registrar).
type Registrar interface {
	Register(ctx context.Context, in usecase.RegisterInput) (domain.User, error)
}

// Authenticator logs users in (usecase.Authenticator).
type Authenticator interface {
	Login(ctx context.Context, in usecase.LoginInput) (usecase.LoginResult, error)
}

// Sessions resolves and revokes session tokens (usecase.SessionManager).
type Sessions interface {
	Resolve(ctx context.Context, token domain.Token) (usecase.Principal, error)
	Revoke(ctx context.Context, token domain.Token) error
}

// Account is what signed-in users do with their own account
// (usecase.Account).
type Account interface {
	ChangePassword(ctx context.Context, p usecase.Principal, current, next string, c usecase.Client) (domain.Token, domain.Session, error)
	Sessions(ctx context.Context, p usecase.Principal) ([]domain.Session, error)
	RevokeSession(ctx context.Context, p usecase.Principal, id domain.SessionID, c usecase.Client) error
	RevokeOtherSessions(ctx context.Context, p usecase.Principal, c usecase.Client) (int64, error)
	Logout(ctx context.Context, p usecase.Principal, c usecase.Client) error
	Delete(ctx context.Context, p usecase.Principal, password string, c usecase.Client) error
	SetDisplayName(ctx context.Context, p usecase.Principal, raw string, c usecase.Client) (domain.User, error)
	RecentActivity(ctx context.Context, p usecase.Principal) ([]domain.SecurityEvent, error)
	PreviousLogin(ctx context.Context, p usecase.Principal) (domain.PreviousLogin, bool, error)
}

// AccountEmail is what signed-in users do with their address
// (usecase.AccountEmail).
type AccountEmail interface {
	Status(ctx context.Context, p usecase.Principal) (usecase.EmailStatus, error)
	Change(ctx context.Context, p usecase.Principal, address, currentPassword string, c usecase.Client) error
	Verify(ctx context.Context, p usecase.Principal, code string, c usecase.Client) error
	Resend(ctx context.Context, p usecase.Principal, c usecase.Client) error
	Remove(ctx context.Context, p usecase.Principal, currentPassword string, c usecase.Client) error
}

// Recovery resets forgotten passwords with a mailed code
// (usecase.Recovery).
type Recovery interface {
	Request(ctx context.Context, address string, c usecase.Client) error
	Reset(ctx context.Context, in usecase.ResetInput) error
}

// TwoFactor is what signed-in users do with their second factor
// (usecase.TwoFactor).
type TwoFactor interface {
	Enabled(ctx context.Context, user domain.UserID) (bool, error)
	Setup(ctx context.Context, p usecase.Principal) (usecase.TOTPState, error)
	QRCode(ctx context.Context, p usecase.Principal) ([]byte, error)
	Confirm(ctx context.Context, p usecase.Principal, code string, c usecase.Client) (usecase.IssuedCodes, error)
	RegenerateRecoveryCodes(ctx context.Context, p usecase.Principal, code string, c usecase.Client) (usecase.IssuedCodes, error)
	Disable(ctx context.Context, p usecase.Principal, password, code string, c usecase.Client) (domain.Token, domain.Session, error)
	CompleteLogin(ctx context.Context, in usecase.SecondStepInput) (usecase.LoginResult, error)
}

// Passkeys is what is done with passkeys (usecase.Passkeys): a signed-in
// user manages them; anyone logs in with one, or answers a login's
// second step with one.
type Passkeys interface {
	Enabled() bool
	List(ctx context.Context, p usecase.Principal) ([]domain.Passkey, error)
	BeginRegistration(ctx context.Context, p usecase.Principal) ([]byte, error)
	FinishRegistration(ctx context.Context, p usecase.Principal, name string, response []byte, c usecase.Client) (domain.Token, domain.Session, error)
	Rename(ctx context.Context, p usecase.Principal, id domain.PasskeyID, name string, c usecase.Client) error
	Remove(ctx context.Context, p usecase.Principal, id domain.PasskeyID, password string, c usecase.Client) (domain.Token, domain.Session, error)
	BeginLogin(ctx context.Context) ([]byte, error)
	Login(ctx context.Context, in usecase.PasskeyLoginInput) (usecase.LoginResult, error)
	OffersPasskey(ctx context.Context, challenge string) bool
	BeginSecondStep(ctx context.Context, challenge string) ([]byte, error)
	CompleteLogin(ctx context.Context, in usecase.PasskeySecondStepInput) (usecase.LoginResult, error)
}

// Admin is what admins do with other accounts (usecase.Admin).
type Admin interface {
	List(ctx context.Context, actor usecase.Actor, search string, page int) (usecase.UserPage, error)
	Disable(ctx context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) error
	Enable(ctx context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) error
	ClearThrottle(ctx context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) error
	RevokeSessions(ctx context.Context, actor usecase.Actor, id domain.UserID, c usecase.Client) (int64, error)
	SetRole(ctx context.Context, actor usecase.Actor, id domain.UserID, role domain.Role, c usecase.Client) error
}

// SocialLogin signs people in with identity providers and links their
// identities (usecase.SocialLogin).
type SocialLogin interface {
	Providers() []usecase.ProviderInfo
	Label(name string) string
	Begin(ctx context.Context, provider, next string, c usecase.Client) (usecase.SocialStart, error)
	BeginConnect(ctx context.Context, p usecase.Principal, provider, password string, c usecase.Client) (usecase.SocialStart, error)
	Callback(ctx context.Context, in usecase.CallbackInput) (usecase.CallbackResult, error)
	Pending(ctx context.Context, token string) (usecase.PendingView, error)
	LinkWithPassword(ctx context.Context, pending string, in usecase.LoginInput) (usecase.LoginResult, usecase.ProviderInfo, error)
	Signup(ctx context.Context, in usecase.SignupInput) (usecase.LoginResult, error)
	LoginWithIDToken(ctx context.Context, in usecase.TokenLoginInput) (usecase.LoginResult, error)
	Identities(ctx context.Context, user domain.UserID) ([]domain.Identity, error)
	Disconnect(ctx context.Context, user domain.UserID, provider string, actor domain.UserID, c usecase.Client) error
}

// The use cases fit the ports.
var (
	_ Registrar     = (*usecase.Registrar)(nil)
	_ Authenticator = (*usecase.Authenticator)(nil)
	_ Sessions      = (*usecase.SessionManager)(nil)
	_ Account       = (*usecase.Account)(nil)
	_ AccountEmail  = (*usecase.AccountEmail)(nil)
	_ Recovery      = (*usecase.Recovery)(nil)
	_ Admin         = (*usecase.Admin)(nil)
	_ TwoFactor     = (*usecase.TwoFactor)(nil)
	_ Passkeys      = (*usecase.Passkeys)(nil)
	_ SocialLogin   = (*usecase.SocialLogin)(nil)
)
