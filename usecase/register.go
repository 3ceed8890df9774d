package usecase

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/domain"
)

// UserCreator stores new accounts. Create assigns the ID and returns
// domain.ErrUsernameTaken when the canonical username is in use.
type UserCreator interface {
	Create(ctx context.Context, u domain.User) (domain.User, error)
}

// PasswordHasher turns passwords into encoded hashes and checks them.
// Verify reports whether password matches encoded and, when it does,
// whether encoded was made with parameters other than the current ones.
type PasswordHasher interface {
	Hash(password domain.Password) (string, error)
	Verify(password domain.Password, encoded string) (match, needsRehash bool, err error)
}

// RegisterInput is what a visitor submits to sign up.
type RegisterInput struct {
	Username string
	Password string
}

// Registrar creates accounts.
type Registrar struct {
	users  UserCreator
	hasher PasswordHasher
	clock  Clock
}

// NewRegistrar returns a Registrar that stores users in users.
func NewRegistrar(users UserCreator, hasher PasswordHasher, clock Clock) *Registrar {
	return &Registrar{users: users, hasher: hasher, clock: clock}
}

// Register validates in, hashes the password and stores the account. It
// returns a *domain.ValidationError naming every field that breaks a rule,
// or an error wrapping domain.ErrUsernameTaken.
func (r *Registrar) Register(ctx context.Context, in RegisterInput) (domain.User, error) {
	name, nameErr := domain.NewUsername(in.Username)
	password, passErr := domain.NewPassword(in.Password, name)
	if err := domain.MergeValidation(nameErr, passErr); err != nil {
		return domain.User{}, err
	}
	hash, err := r.hasher.Hash(password)
	if err != nil {
		return domain.User{}, fmt.Errorf("register %q: %w", name, err)
	}
	u, err := r.users.Create(ctx, domain.User{
		Username:     name,
		PasswordHash: hash,
		CreatedAt:    r.clock.Now().UTC(),
	})
	if err != nil {
		return domain.User{}, fmt.Errorf("register %q: %w", name, err)
	}
	return u, nil
}
