package api

import (
	"context"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Registrar creates accounts (usecase.Registrar).
type Registrar interface {
	Register(ctx context.Context, in usecase.RegisterInput) (domain.User, error)
}

// Authenticator logs users in (usecase.Authenticator).
type Authenticator interface {
	Login(ctx context.Context, in usecase.LoginInput) (usecase.LoginResult, error)
}

// Sessions resolves bearer tokens (usecase.SessionManager).
type Sessions interface {
	Resolve(ctx context.Context, token domain.Token) (usecase.Principal, error)
}

// Account is what a signed-in client does with its own account
// (usecase.Account).
type Account interface {
	ChangePassword(ctx context.Context, p usecase.Principal, current, next string, c usecase.Client) (domain.Token, domain.Session, error)
	Sessions(ctx context.Context, p usecase.Principal) ([]domain.Session, error)
	RevokeSession(ctx context.Context, p usecase.Principal, id domain.SessionID, c usecase.Client) error
	Logout(ctx context.Context, p usecase.Principal, c usecase.Client) error
	PreviousLogin(ctx context.Context, p usecase.Principal) (domain.PreviousLogin, bool, error)
}

// The use cases fit the ports.
var (
	_ Registrar     = (*usecase.Registrar)(nil)
	_ Authenticator = (*usecase.Authenticator)(nil)
	_ Sessions      = (*usecase.SessionManager)(nil)
	_ Account       = (*usecase.Account)(nil)
)
