package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// errHashingSaturated refuses a login while the hasher has no capacity.
var errHashingSaturated = fmt.Errorf("login: password hashing at capacity: %w", domain.ErrUnavailable)

// LoginInput is what a visitor submits to log in, and from where.
// Previous is the session token the browser already held, if any; a login
// always replaces it.
type LoginInput struct {
	Username string
	Password string
	Remember bool
	Previous domain.Token
	Client   Client
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
	throttle *Throttle
	events   recorder
	log      *slog.Logger
	// decoy is a hash of a random password made with the current
	// parameters; unknown usernames are checked against it so that they
	// cost the same time as wrong passwords.
	decoy string
	// refusalHold is how long a login refused for want of hashing
	// capacity waits before its answer (DefaultRefusalHold).
	refusalHold time.Duration
}

// DefaultRefusalHold is how long a login refused because the hashing pool
// is saturated is held before the refusal is sent. A flood's clients
// resend as soon as they are answered; answered at once, a few hundred of
// them keep the CPU busy with refusals and every page waits behind them.
// Held for a second each, costing a timer and no CPU, they send a few
// hundred requests a second instead of thousands. A user who meets a
// saturated pool waits a second longer for the "try again" page.
const DefaultRefusalHold = time.Second

// SetRefusalHold changes how long refused logins are held (tests).
func (a *Authenticator) SetRefusalHold(d time.Duration) { a.refusalHold = d }

// NewAuthenticator returns an Authenticator. It hashes one random decoy
// password up front, so it fails only if the hasher does.
func NewAuthenticator(users CredentialStore, hasher PasswordHasher, sessions *SessionManager, throttle *Throttle, history EventLog, tokens TokenSource, clock Clock, log *slog.Logger) (*Authenticator, error) {
	seed, err := tokens.NewToken()
	if err != nil {
		return nil, fmt.Errorf("usecase: decoy password: %w", err)
	}
	decoy, err := hasher.Hash(context.Background(), domain.NormalizePassword(seed.Reveal()))
	if err != nil {
		return nil, fmt.Errorf("usecase: decoy password: %w", err)
	}
	return &Authenticator{
		users: users, hasher: hasher, sessions: sessions, throttle: throttle,
		events: recorder{history: history, clock: clock, logger: log}, log: log, decoy: decoy,
		refusalHold: DefaultRefusalHold,
	}, nil
}

// Login checks the credentials in in, starts a new session with a new token
// and revokes in.Previous, so no token seen before the login is ever
// authenticated by it. Unknown usernames and wrong passwords both return an
// error wrapping domain.ErrInvalidCredentials; too many recent failures
// return a *domain.ThrottledError without looking at the password. All
// three spend the same hashing work, and a failure makes the same store
// calls whether or not an account has the name. The right password for a
// disabled account returns domain.ErrAccountDisabled.
func (a *Authenticator) Login(ctx context.Context, in LoginInput) (LoginResult, error) {
	// The client's network may hold only its share of the hashing pool.
	ctx = WithHashingKey(ctx, ClientNetwork(in.Client.IP))
	// During a flood the hashing pool refuses most logins (or all of the
	// flooding network's); refuse them before the throttle's and the
	// account's reads, which would otherwise take the CPU that pages
	// need, and hold the answer a moment (DefaultRefusalHold). The answer
	// is the pool's own, the same for every name.
	if a.hasher.Saturated(ctx) {
		hold := time.NewTimer(a.refusalHold)
		defer hold.Stop()
		select {
		case <-hold.C:
		case <-ctx.Done():
		}
		return LoginResult{}, errHashingSaturated
	}
	// The throttle counts failures per name given, whether or not an
	// account has it.
	canonical := ""
	if name, err := domain.NewUsername(in.Username); err == nil {
		canonical = name.Canonical()
	}
	network := ClientNetwork(in.Client.IP)
	if err := a.throttle.CheckLogin(ctx, canonical, network); err != nil {
		if derr := a.spendDecoy(ctx, domain.NormalizePassword(in.Password)); derr != nil {
			return LoginResult{}, derr
		}
		a.recordFailure(ctx, in.Username, in.Client, domain.FailureThrottled)
		return LoginResult{}, err
	}
	u, err := a.check(ctx, in.Username, in.Password)
	if errors.Is(err, domain.ErrInvalidCredentials) {
		// Fail closed: a failure that cannot be counted is not forgiven.
		if terr := a.throttle.LoginFailed(ctx, canonical, network); terr != nil {
			return LoginResult{}, terr
		}
		// Recorded whether or not an account has the name (u.ID is zero
		// when none has): the write is the same either way, so its time
		// does not tell which names exist.
		a.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureBadPassword)
		return LoginResult{}, err
	}
	if err != nil {
		return LoginResult{}, err
	}
	if u.Disabled {
		a.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureDisabled)
		return LoginResult{}, domain.ErrAccountDisabled
	}
	if err := a.throttle.LoginSucceeded(ctx, canonical, network); err != nil {
		a.log.WarnContext(ctx, "usecase: reset login failures", "user_id", u.ID, "err", err)
	}
	// The session and the event that records the login are one commit.
	success := a.events.event(domain.EventLoginSuccess, u.ID, 0, in.Client, "")
	token, s, err := a.sessions.Start(ctx, u.ID, in.Remember, in.Client, a.lastLogin(ctx, u.ID), success)
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

// lastLogin returns the account's latest successful login, read before
// this login is recorded: the new session keeps it as its previous login.
// A history that cannot be read does not fail the login; the session then
// does not know its previous login and looks it up when asked.
func (a *Authenticator) lastLogin(ctx context.Context, id domain.UserID) domain.PreviousLogin {
	list, err := a.events.history.ListByUser(ctx, id, []domain.EventKind{domain.EventLoginSuccess}, 1)
	if err != nil {
		a.log.WarnContext(ctx, "usecase: read the previous login", "user_id", id, "err", err)
		return domain.PreviousLogin{}
	}
	if len(list) == 0 {
		return domain.PreviousLogin{Known: true}
	}
	return domain.PreviousLogin{Known: true, At: list[0].At, IP: list[0].IP}
}

// recordFailure records a throttled login against the account named, or
// against no account (UserID zero) when the name matches none or is not a
// valid name, so that both cost the same write. The event never holds the
// name: it may be a password typed into the wrong field. A store that
// cannot tell whether the account exists is failing; then nothing is
// recorded.
func (a *Authenticator) recordFailure(ctx context.Context, username string, c Client, reason string) {
	var id domain.UserID
	if name, err := domain.NewUsername(username); err == nil {
		u, err := a.users.ByUsername(ctx, name)
		switch {
		case err == nil:
			id = u.ID
		case !errors.Is(err, domain.ErrNotFound):
			a.log.WarnContext(ctx, "usecase: record a throttled login", "err", err)
			return
		}
	}
	a.events.record(ctx, domain.EventLoginFailure, id, 0, c, reason)
}

// check returns the account whose name and password match, or an error
// wrapping domain.ErrInvalidCredentials together with the account a wrong
// password was tried on (zero when the name matches none), for the
// history. An unknown or invalid name costs the same verification as a
// wrong password. When the stored hash uses outdated parameters it is
// replaced; a failure to do so is logged and does not fail the login.
func (a *Authenticator) check(ctx context.Context, username, password string) (domain.User, error) {
	pw := domain.NormalizePassword(password)
	name, err := domain.NewUsername(username)
	if err != nil {
		// No account can have this name; spend the hashing time anyway.
		if err := a.spendDecoy(ctx, pw); err != nil {
			return domain.User{}, err
		}
		return domain.User{}, domain.ErrInvalidCredentials
	}
	u, err := a.users.ByUsername(ctx, name)
	if errors.Is(err, domain.ErrNotFound) {
		if err := a.spendDecoy(ctx, pw); err != nil {
			return domain.User{}, err
		}
		return domain.User{}, domain.ErrInvalidCredentials
	}
	if err != nil {
		return domain.User{}, fmt.Errorf("authenticate %q: %w", name, err)
	}
	match, stale, err := a.hasher.Verify(ctx, pw, u.PasswordHash)
	if err != nil {
		return domain.User{}, fmt.Errorf("authenticate %q: %w", name, err)
	}
	if !match {
		return u, domain.ErrInvalidCredentials
	}
	if stale {
		a.rehash(ctx, &u, pw)
	}
	return u, nil
}

// spendDecoy verifies pw against the decoy hash, so a login that cannot
// succeed costs what one that can does. Only a failure to hash at all (a
// full hashing pool) is returned: it must look the same as it would for a
// real account, or the answer would tell which names exist.
func (a *Authenticator) spendDecoy(ctx context.Context, pw domain.Password) error {
	if _, _, err := a.hasher.Verify(ctx, pw, a.decoy); err != nil {
		return fmt.Errorf("authenticate: %w", err)
	}
	return nil
}

// rehash replaces u's hash, made with outdated parameters, by one of pw
// made with the current ones. It replaces only the hash that was verified:
// when the password changed since (a password change racing this login),
// the newer password stands and u keeps the hash it had. Neither that nor
// a failure fails the login.
func (a *Authenticator) rehash(ctx context.Context, u *domain.User, pw domain.Password) {
	hash, err := a.hasher.Hash(ctx, pw)
	if err != nil {
		a.log.WarnContext(ctx, "usecase: rehash password", "user_id", u.ID, "err", err)
		return
	}
	replaced, err := a.users.UpdatePasswordHash(ctx, u.ID, u.PasswordHash, hash)
	if err != nil {
		a.log.WarnContext(ctx, "usecase: rehash password", "user_id", u.ID, "err", err)
		return
	}
	if !replaced {
		a.log.DebugContext(ctx, "usecase: rehash skipped: the password changed since it was verified", "user_id", u.ID)
		return
	}
	u.PasswordHash = hash
}
