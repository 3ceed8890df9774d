package web

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

// Sessions resolves and revokes session tokens (usecase.SessionManager).
type Sessions interface {
	Resolve(ctx context.Context, token domain.Token) (usecase.Principal, error)
	Revoke(ctx context.Context, token domain.Token) error
}
