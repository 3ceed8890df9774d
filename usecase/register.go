package usecase

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/gatehouse/gatehouse/domain"
)

// RegisterInput is what a visitor submits to sign up, and from where.
type RegisterInput struct {
	Username string
	Password string
	Client   Client
}

// Registrar creates accounts.
type Registrar struct {
	users     UserCreator
	passwords *PasswordPolicy
	throttle  *Throttle
	clock     Clock
	events    recorder
	log       *slog.Logger
}

// NewRegistrar returns a Registrar that stores users in users.
func NewRegistrar(users UserCreator, passwords *PasswordPolicy, throttle *Throttle, history EventLog, clock Clock, log *slog.Logger) *Registrar {
	return &Registrar{users: users, passwords: passwords, throttle: throttle, clock: clock,
		events: recorder{history: history, clock: clock, logger: log}, log: log}
}

// Register validates in, hashes the password and stores the account. It
// returns a *domain.ThrottledError when in.Client's network created too
// many accounts recently, an *InvalidInputError naming every input that
// breaks a rule, or an error wrapping domain.ErrUsernameTaken.
func (r *Registrar) Register(ctx context.Context, in RegisterInput) (domain.User, error) {
	network := ClientNetwork(in.Client.IP)
	if err := r.throttle.CheckSignup(ctx, network); err != nil {
		return domain.User{}, err
	}
	name, nameErr := domain.ChooseUsername(in.Username)
	password, passErr := r.passwords.Check(in.Password, name)
	if err := mergeInvalid(asInput(InputUsername, nameErr), asInput(InputPassword, passErr)); err != nil {
		return domain.User{}, err
	}
	hash, err := r.passwords.Hash(ctx, password)
	if err != nil {
		return domain.User{}, fmt.Errorf("register %q: %w", name, err)
	}
	u, err := r.users.Create(ctx, domain.User{
		Username:     name,
		PasswordHash: hash,
		CreatedAt:    r.clock.Now().UTC(),
		Role:         domain.RoleUser,
	})
	if err != nil {
		return domain.User{}, fmt.Errorf("register %q: %w", name, err)
	}
	// The account exists: a failure to count it must not report the
	// signup as failed.
	if err := r.throttle.SignedUp(ctx, network); err != nil {
		r.log.WarnContext(ctx, "usecase: count signup", "user_id", u.ID, "err", err)
	}
	r.events.record(ctx, domain.EventSignup, u.ID, 0, in.Client, "")
	return u, nil
}
