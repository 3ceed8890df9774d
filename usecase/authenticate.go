package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/gatehouse/gatehouse/domain"
)

// CredentialStore finds accounts by name and replaces outdated hashes.
// ByUsername compares canonical names and returns domain.ErrNotFound for an
// unknown one.
type CredentialStore interface {
	ByUsername(ctx context.Context, name domain.Username) (domain.User, error)
	UpdatePasswordHash(ctx context.Context, id domain.UserID, hash string) error
}

// LoginInput is what a visitor submits to log in. Previous is the session
// token the browser already held, if any; a login always replaces it.
type LoginInput struct {
	Username string
	Password string
	Remember bool
	Previous domain.Token
}

// LoginResult is a successful login: the account and its new session.
type LoginResult struct {
	User    domain.User
	Session domain.Session
	Token   domain.Token
}

// Authenticator checks credentials and starts sessions.
type Authenticator struct {
	users    CredentialStore
	hasher   PasswordHasher
	sessions *SessionManager
	log      *slog.Logger
	// decoy is a hash of a random password made with the current
	// parameters; unknown usernames are checked against it so that they
	// cost the same time as wrong passwords.
	decoy string
}

// NewAuthenticator returns an Authenticator. It hashes one random decoy
// password up front, so it fails only if the hasher does.
func NewAuthenticator(users CredentialStore, hasher PasswordHasher, sessions *SessionManager, tokens TokenSource, log *slog.Logger) (*Authenticator, error) {
	seed, err := tokens.NewToken()
	if err != nil {
		return nil, fmt.Errorf("usecase: decoy password: %w", err)
	}
	decoy, err := hasher.Hash(domain.NormalizePassword(seed.Reveal()))
	if err != nil {
		return nil, fmt.Errorf("usecase: decoy password: %w", err)
	}
	return &Authenticator{users: users, hasher: hasher, sessions: sessions, log: log, decoy: decoy}, nil
}

// Login checks the credentials in in, starts a new session with a new token
// and revokes in.Previous, so no token seen before the login is ever
// authenticated by it. Unknown usernames and wrong passwords both return an
// error wrapping domain.ErrInvalidCredentials, after the same hashing work.
func (a *Authenticator) Login(ctx context.Context, in LoginInput) (LoginResult, error) {
	u, err := a.Authenticate(ctx, in.Username, in.Password)
	if err != nil {
		return LoginResult{}, err
	}
	token, s, err := a.sessions.Start(ctx, u.ID, in.Remember)
	if err != nil {
		return LoginResult{}, fmt.Errorf("login %q: %w", u.Username, err)
	}
	if in.Previous != "" {
		if err := a.sessions.Revoke(ctx, in.Previous); err != nil {
			a.log.WarnContext(ctx, "usecase: revoke previous session at login", "user_id", u.ID, "err", err)
		}
	}
	return LoginResult{User: u, Session: s, Token: token}, nil
}

// Authenticate returns the account whose name and password match. When the
// stored hash uses outdated parameters it is replaced; a failure to do so
// is logged and does not fail the login.
func (a *Authenticator) Authenticate(ctx context.Context, username, password string) (domain.User, error) {
	pw := domain.NormalizePassword(password)
	name, err := domain.NewUsername(username)
	if err != nil {
		// No account can have this name; spend the hashing time anyway.
		a.spendDecoy(pw)
		return domain.User{}, domain.ErrInvalidCredentials
	}
	u, err := a.users.ByUsername(ctx, name)
	if errors.Is(err, domain.ErrNotFound) {
		a.spendDecoy(pw)
		return domain.User{}, domain.ErrInvalidCredentials
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("authenticate %q: %w", name, err)
	}
	match, stale, err := a.hasher.Verify(pw, u.PasswordHash)
	if err != nil {
		return domain.User{}, fmt.Errorf("authenticate %q: %w", name, err)
	}
	if !match {
		return domain.User{}, domain.ErrInvalidCredentials
	}
	if stale {
		a.rehash(ctx, &u, pw)
	}
	return u, nil
}

func (a *Authenticator) spendDecoy(pw domain.Password) {
	_, _, _ = a.hasher.Verify(pw, a.decoy)
}

func (a *Authenticator) rehash(ctx context.Context, u *domain.User, pw domain.Password) {
	hash, err := a.hasher.Hash(pw)
	if err == nil {
		err = a.users.UpdatePasswordHash(ctx, u.ID, hash)
	}
	if err != nil {
		a.log.WarnContext(ctx, "usecase: rehash password", "user_id", u.ID, "err", err)
		return
	}
	u.PasswordHash = hash
}
