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
	// Device is the device proof the client presented (DeviceProofs), if
	// any: opaque here, checked by the Authenticator.
	Device string
}

// LoginResult is a successful login: the account and its new session.
type LoginResult struct {
	User    domain.User
	Session domain.Session
	Token   domain.Token
	// Device is a new device proof for the account, for the client to
	// present at its next login.
	Device string
}

// Authenticator checks credentials and starts sessions.
type Authenticator struct {
	users    CredentialStore
	hasher   PasswordHasher
	sessions *SessionManager
	throttle *Throttle
	devices  *DeviceProofs
	second   *LoginChallenges
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
func NewAuthenticator(users CredentialStore, hasher PasswordHasher, sessions *SessionManager, throttle *Throttle, devices *DeviceProofs, second *LoginChallenges, history EventLog, tokens TokenSource, clock Clock, log *slog.Logger) (*Authenticator, error) {
	seed, err := tokens.NewToken()
	if err != nil {
		return nil, fmt.Errorf("usecase: decoy password: %w", err)
	}
	decoy, err := hasher.Hash(context.Background(), domain.NormalizePassword(seed.Reveal()))
	if err != nil {
		return nil, fmt.Errorf("usecase: decoy password: %w", err)
	}
	return &Authenticator{
		users: users, hasher: hasher, sessions: sessions, throttle: throttle, devices: devices, second: second,
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
// disabled account returns domain.ErrAccountDisabled. A successful login
// returns a new device proof for the client to present next time. The
// right password of an account with a second factor starts no session: it
// returns a *SecondFactorRequiredError with a challenge, which
// TwoFactor.CompleteLogin answers.
func (a *Authenticator) Login(ctx context.Context, in LoginInput) (LoginResult, error) {
	// The client's network may hold only its share of the hashing pool.
	ctx = WithHashingKey(ctx, ClientAllocation(in.Client.IP))
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
	pw := domain.NormalizePassword(in.Password)
	u, canonical, err := a.lookup(ctx, in.Username)
	if err != nil {
		return LoginResult{}, err
	}
	// The attempt is counted as a failure before the password is looked
	// at, atomically, so that however many arrive at once no more are
	// verified than the limits allow; a right password gives it back.
	// Fail closed: an attempt that cannot be counted is not verified. A
	// device that proves it logged in to this account before is judged
	// by its own failures; any other client by the account's budget for
	// unknown devices too.
	device, _ := a.devices.Verify(in.Device, u.ID)
	ticket, err := a.throttle.ReserveLogin(ctx, LoginAttempt{Account: canonical, Client: in.Client.IP, Device: device})
	if err != nil {
		if derr := a.spendDecoy(ctx, pw); derr != nil {
			return LoginResult{}, derr
		}
		if retryAfterOf(err) > 0 {
			a.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureThrottled)
		}
		return LoginResult{}, err
	}
	if err := a.check(ctx, &u, pw); err != nil {
		if errors.Is(err, domain.ErrInvalidCredentials) {
			// Recorded whether or not an account has the name (u.ID is
			// zero when none has): the write is the same either way, so
			// its time does not tell which names exist.
			a.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureBadPassword)
		} else {
			// The password was not judged (no hashing capacity): the
			// attempt was no guess.
			a.release(ctx, ticket, u.ID)
		}
		return LoginResult{}, err
	}
	// The password is right: the attempt was no failure, and the run of
	// failures it was judged by ends, for a disabled account too.
	a.release(ctx, ticket, u.ID)
	if u.Disabled {
		a.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureDisabled)
		return LoginResult{}, domain.ErrAccountDisabled
	}
	methods, err := a.second.required(ctx, u)
	if err != nil {
		return LoginResult{}, err
	}
	if len(methods) > 0 {
		return LoginResult{}, a.second.open(ctx, u, in.Remember, methods)
	}
	// The session and the event that records the login are one commit.
	// The session takes the credential version of the row whose password
	// was verified, not a fresh read: when the password changed since,
	// the store refuses it.
	success := a.events.event(domain.EventLoginSuccess, u.ID, 0, in.Client, "")
	token, s, err := a.sessions.Start(ctx, u, in.Remember, in.Client, lastLogin(ctx, a.events.history, a.log, u.ID), success)
	if errors.Is(err, domain.ErrCredentialsChanged) {
		// The password given was right when checked and is wrong now:
		// the answer is a wrong password's, which tells the client
		// nothing it would not learn by trying again.
		a.events.record(ctx, domain.EventLoginFailure, u.ID, 0, in.Client, domain.FailureCredentialsChanged)
		return LoginResult{}, fmt.Errorf("login %q: %w: %w", u.Username, domain.ErrInvalidCredentials, err)
	}
	if err != nil {
		return LoginResult{}, fmt.Errorf("login %q: %w", u.Username, err)
	}
	if in.Previous != "" {
		if err := a.sessions.Revoke(ctx, in.Previous); err != nil {
			a.log.WarnContext(ctx, "usecase: revoke previous session at login", "user_id", u.ID, "err", err)
		}
	}
	return LoginResult{User: u, Session: s, Token: token, Device: a.devices.Issue(u.ID)}, nil
}

// lastLogin returns the account's latest successful login, read before
// this login is recorded: the new session keeps it as its previous login.
// A history that cannot be read does not fail the login; the session then
// does not know its previous login and looks it up when asked.
func lastLogin(ctx context.Context, history EventLog, log *slog.Logger, id domain.UserID) domain.PreviousLogin {
	list, err := history.ListByUser(ctx, id, []domain.EventKind{domain.EventLoginSuccess}, 1)
	if err != nil {
		log.WarnContext(ctx, "usecase: read the previous login", "user_id", id, "err", err)
		return domain.PreviousLogin{}
	}
	if len(list) == 0 {
		return domain.PreviousLogin{Known: true}
	}
	return domain.PreviousLogin{Known: true, At: list[0].At, IP: list[0].IP}
}

// lookup returns the account named username, the zero User when none
// has the name, and the canonical form of the name, "" when it is not a
// valid username. Every valid name costs the same read.
func (a *Authenticator) lookup(ctx context.Context, username string) (domain.User, string, error) {
	name, err := domain.NewUsername(username)
	if err != nil {
		return domain.User{}, "", nil
	}
	u, err := a.users.ByUsername(ctx, name)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		return domain.User{}, name.Canonical(), nil
	case err != nil:
		return domain.User{}, "", fmt.Errorf("authenticate %q: %w", name, err)
	}
	return u, name.Canonical(), nil
}

// release gives back a login's reservation; a failure to do so is logged
// and leaves the attempt counted as a failure.
func (a *Authenticator) release(ctx context.Context, ticket ThrottleTicket, id domain.UserID) {
	if err := a.throttle.ReleaseLogin(ctx, ticket); err != nil {
		a.log.WarnContext(ctx, "usecase: release a login's reservation", "user_id", id, "err", err)
	}
}

// retryAfterOf returns the wait of a *domain.ThrottledError, or zero.
func retryAfterOf(err error) time.Duration {
	var te *domain.ThrottledError
	if errors.As(err, &te) {
		return te.RetryAfter
	}
	return 0
}

// check verifies pw against u's hash, or against the decoy when u is the
// zero User (no account has the name) or has no password, which costs the
// same and fails.
// A mismatch is an error wrapping domain.ErrInvalidCredentials. When the
// stored hash uses outdated parameters it is replaced (and u with it); a
// failure to do so is logged and does not fail the login.
func (a *Authenticator) check(ctx context.Context, u *domain.User, pw domain.Password) error {
	// An account without a password (made through an identity
	// provider) has an empty hash, which no password matches: it costs
	// the decoy's work and fails like an unknown name, so a password
	// login can never open it.
	if u.ID == 0 || !u.HasPassword() {
		if err := a.spendDecoy(ctx, pw); err != nil {
			return err
		}
		return domain.ErrInvalidCredentials
	}
	match, stale, err := a.hasher.Verify(ctx, pw, u.PasswordHash)
	if err != nil {
		return fmt.Errorf("authenticate %q: %w", u.Username, err)
	}
	if !match {
		return domain.ErrInvalidCredentials
	}
	if stale {
		a.rehash(ctx, u, pw)
	}
	return nil
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
