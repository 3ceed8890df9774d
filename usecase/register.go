package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gatehouse/gatehouse/domain"
)

// RegisterInput is what a visitor submits to sign up, and from where.
type RegisterInput struct {
	Username string
	Password string
	// Email is optional: an address to verify, mailed a code at once.
	Email  string
	Client Client
}

// Registrar creates accounts.
type Registrar struct {
	users     UserCreator
	passwords *PasswordPolicy
	throttle  *Throttle
	clock     Clock
	events    recorder
	log       *slog.Logger
	emails    *AccountEmail
}

// NewRegistrar returns a Registrar that stores users in users and, when
// a signup gives an address, has emails mail it a code (nil refuses
// addresses).
func NewRegistrar(users UserCreator, passwords *PasswordPolicy, throttle *Throttle, history EventLog, clock Clock, log *slog.Logger, emails *AccountEmail) *Registrar {
	return &Registrar{users: users, passwords: passwords, throttle: throttle, clock: clock,
		events: recorder{history: history, clock: clock, logger: log}, log: log, emails: emails}
}

// Register validates in, hashes the password and stores the account. It
// returns a *domain.ThrottledError when in.Client's network created too
// many accounts recently, an *InvalidInputError naming every input that
// breaks a rule, or an error wrapping domain.ErrUsernameTaken.
//
// A signup is reserved first, atomically, so that however many arrive at
// once no more accounts are created than the cap allows, and a throttled
// client learns nothing of its input. Invalid input gives its place back:
// it cost nothing. So does a signup that failed for want of hashing
// capacity or by a store error: the client did nothing to spend it. A
// taken name keeps its place: it cost a hash, and the cap is also what
// bounds the names one network can probe through signup.
func (r *Registrar) Register(ctx context.Context, in RegisterInput) (domain.User, error) {
	ctx = WithHashingKey(ctx, ClientAllocation(in.Client.IP)) // the network's share of the hashing pool
	ticket, err := r.throttle.ReserveSignup(ctx, in.Client.IP)
	if err != nil {
		return domain.User{}, err
	}
	u, err := r.create(ctx, in)
	if err != nil {
		if !errors.Is(err, domain.ErrUsernameTaken) {
			if rerr := r.throttle.ReleaseSignup(ctx, ticket); rerr != nil {
				r.log.WarnContext(ctx, "usecase: release a signup's reservation", "err", rerr)
			}
		}
		return domain.User{}, err
	}
	r.events.record(ctx, domain.EventSignup, u.ID, 0, in.Client, "")
	if address, _ := domain.NewEmailAddress(in.Email); !address.IsZero() && r.emails != nil {
		// The account exists whatever happens here; its owner can add
		// the address again from the account page.
		if err := r.emails.StartVerification(ctx, u, address); err != nil {
			r.log.WarnContext(ctx, "usecase: mail the signup's address a code", "user_id", u.ID, "err", err)
		}
	}
	return u, nil
}

// create validates in, hashes the password and stores the account.
func (r *Registrar) create(ctx context.Context, in RegisterInput) (domain.User, error) {
	name, nameErr := domain.ChooseUsername(in.Username)
	password, passErr := r.passwords.Check(in.Password, name)
	var emailErr error
	if strings.TrimSpace(in.Email) != "" {
		_, emailErr = domain.NewEmailAddress(in.Email)
		if emailErr == nil && r.emails == nil {
			emailErr = &domain.InvalidError{Message: "Addresses cannot be added here."}
		}
	}
	if err := mergeInvalid(asInput(InputUsername, nameErr), asInput(InputPassword, passErr), asInput(InputEmail, emailErr)); err != nil {
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
	return u, nil
}
