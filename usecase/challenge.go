package usecase

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// ChallengeLifetime is how long the second step of a login may wait after
// the password.
const ChallengeLifetime = 5 * time.Minute

// MethodTOTP names the authenticator app as a second factor.
const MethodTOTP = "totp"

// ErrChallengeGone reports a second step whose challenge is unknown,
// expired or already used: the login starts over with the password.
var ErrChallengeGone = fmt.Errorf("usecase: login challenge expired or used: %w", domain.ErrUnauthenticated)

// ErrSecondFactorRequired is what a *SecondFactorRequiredError is:
// not logged in yet (domain.ErrUnauthenticated), a code to come.
var ErrSecondFactorRequired = fmt.Errorf("usecase: second factor required: %w", domain.ErrUnauthenticated)

// SecondFactorRequiredError is the answer to a right password of an
// account with a second factor: no session yet, a challenge to answer
// with a code. It is an error so that a delivery that does not know the
// second step fails closed instead of starting a session.
type SecondFactorRequiredError struct {
	// Challenge is the token of the challenge, for the client only.
	Challenge domain.Token
	Methods   []string
	ExpiresAt time.Time
}

// Error never shows the token.
func (e *SecondFactorRequiredError) Error() string {
	return "usecase: second factor required"
}

// Unwrap makes it an ErrSecondFactorRequired.
func (e *SecondFactorRequiredError) Unwrap() error { return ErrSecondFactorRequired }

// LoginChallenges opens the second step of logins for accounts with a
// second factor, and purges the expired ones.
type LoginChallenges struct {
	totp   TOTPStore
	store  LoginChallengeStore
	tokens TokenSource
	clock  Clock
}

// NewLoginChallenges returns a LoginChallenges.
func NewLoginChallenges(totp TOTPStore, store LoginChallengeStore, tokens TokenSource, clock Clock) *LoginChallenges {
	return &LoginChallenges{totp: totp, store: store, tokens: tokens, clock: clock}
}

// required returns the second factors of u's, none when it has none.
func (l *LoginChallenges) required(ctx context.Context, u domain.User) ([]string, error) {
	t, err := l.totp.ByUser(ctx, u.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("second factors of user %d: %w", u.ID, err)
	}
	if !t.Enabled() {
		return nil, nil
	}
	return []string{MethodTOTP}, nil
}

// open stores a new challenge for u, whose password was just checked, and
// returns it as the error that asks for the second factor.
func (l *LoginChallenges) open(ctx context.Context, u domain.User, remember bool, methods []string) error {
	token, err := l.tokens.NewToken()
	if err != nil {
		return fmt.Errorf("login challenge for user %d: %w", u.ID, err)
	}
	now := l.clock.Now().UTC()
	c := domain.LoginChallenge{
		TokenHash: token.Hash(), UserID: u.ID, CredentialVersion: u.CredentialVersion,
		Remember: remember, CreatedAt: now, ExpiresAt: now.Add(ChallengeLifetime),
	}
	if err := l.store.Create(ctx, c); err != nil {
		return fmt.Errorf("login challenge for user %d: %w", u.ID, err)
	}
	return &SecondFactorRequiredError{Challenge: token, Methods: methods, ExpiresAt: c.ExpiresAt}
}

// Purge deletes the expired challenges.
func (l *LoginChallenges) Purge(ctx context.Context) (int64, error) {
	n, err := l.store.DeleteExpired(ctx, l.clock.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("purge login challenges: %w", err)
	}
	return n, nil
}
