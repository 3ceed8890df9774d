package usecase

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// RecentActivityLimit is how many events the account page shows.
const RecentActivityLimit = 20

// Account is what a signed-in user does with their own account: change the
// password, see and end sessions, read the history, log out, delete it.
type Account struct {
	accounts  AccountStore
	sessions  *SessionManager
	passwords *PasswordPolicy
	throttle  *Throttle
	history   EventLog
	events    recorder
	log       *slog.Logger
}

// NewAccount returns an Account.
func NewAccount(accounts AccountStore, sessions *SessionManager, passwords *PasswordPolicy, throttle *Throttle, history EventLog, clock Clock, log *slog.Logger) *Account {
	return &Account{
		accounts: accounts, sessions: sessions, passwords: passwords, throttle: throttle, history: history,
		events: recorder{history: history, clock: clock, logger: log}, log: log,
	}
}

// wrongCurrentPassword is the message for a failed re-authentication.
const wrongCurrentPassword = "Your current password is not correct."

// ChangePassword replaces p's password after checking the current one and
// the policy. The change moves the account's credential version on, so
// every session started before it stops counting, including one whose
// login checked the old password while the change ran. Every other
// session ends, and the current one is replaced by a new session under
// the new version, with a new token, which it returns. When the password
// changes once more before that session is stored (an admin's reset
// racing this change), the error wraps domain.ErrUnauthenticated: the
// caller has to log in with the newest password.
func (a *Account) ChangePassword(ctx context.Context, p Principal, current, next string, c Client) (domain.Token, domain.Session, error) {
	ctx = WithHashingKey(ctx, ClientAllocation(c.IP)) // the network's share of the hashing pool
	if err := a.reauthenticate(ctx, p, current, InputCurrentPassword, c); err != nil {
		return "", domain.Session{}, err
	}
	pw, err := a.passwords.Check(next, p.User.Username)
	if err != nil {
		return "", domain.Session{}, asInput(InputNewPassword, err)
	}
	hash, err := a.passwords.Hash(ctx, pw)
	if err != nil {
		return "", domain.Session{}, fmt.Errorf("change password of user %d: %w", p.User.ID, err)
	}
	version, err := a.accounts.SetPassword(ctx, p.User.ID, hash, false)
	if err != nil {
		return "", domain.Session{}, fmt.Errorf("change password of user %d: %w", p.User.ID, err)
	}
	// The password has changed whatever happens next: the history says so.
	a.events.record(ctx, domain.EventPasswordChange, p.User.ID, 0, c, "")
	// The new session keeps the old one's second factor: the same login
	// goes on under the new password.
	return a.sessions.Restart(ctx, p, version, c, p.Session.TwoFactorAt)
}

// Sessions lists p's active sessions, newest first.
func (a *Account) Sessions(ctx context.Context, p Principal) ([]domain.Session, error) {
	return a.sessions.List(ctx, p.User.ID)
}

// RevokeSession ends one of p's other sessions. A session that is not
// p's, or p's own current one (that is logging out), is domain.ErrNotFound.
func (a *Account) RevokeSession(ctx context.Context, p Principal, id domain.SessionID, c Client) error {
	if id == p.Session.ID {
		return fmt.Errorf("revoke the current session: %w", domain.ErrNotFound)
	}
	list, err := a.sessions.List(ctx, p.User.ID)
	if err != nil {
		return err
	}
	for _, s := range list {
		if s.ID == id {
			if err := a.sessions.RevokeByID(ctx, id); err != nil {
				return err
			}
			a.events.record(ctx, domain.EventSessionRevoked, p.User.ID, 0, c, fmt.Sprintf("session %d", id))
			return nil
		}
	}
	return fmt.Errorf("revoke session %d of user %d: %w", id, p.User.ID, domain.ErrNotFound)
}

// RevokeOtherSessions ends every session of p's but the current one and
// reports how many ended.
func (a *Account) RevokeOtherSessions(ctx context.Context, p Principal, c Client) (int64, error) {
	n, err := a.sessions.RevokeAll(ctx, p.User.ID, p.Session.ID)
	if err != nil {
		return 0, err
	}
	a.events.record(ctx, domain.EventSessionRevoked, p.User.ID, 0, c, fmt.Sprintf("all other sessions (%d)", n))
	return n, nil
}

// Logout ends p's current session.
func (a *Account) Logout(ctx context.Context, p Principal, c Client) error {
	if err := a.sessions.RevokeByID(ctx, p.Session.ID); err != nil {
		return fmt.Errorf("logout of user %d: %w", p.User.ID, err)
	}
	a.events.record(ctx, domain.EventLogout, p.User.ID, 0, c, "")
	return nil
}

// Delete removes p's account and every session after checking the
// password; the name becomes free. The only admin cannot delete itself
// (domain.ErrLastAdmin).
func (a *Account) Delete(ctx context.Context, p Principal, password string, c Client) error {
	ctx = WithHashingKey(ctx, ClientAllocation(c.IP)) // the network's share of the hashing pool
	if err := a.reauthenticate(ctx, p, password, InputPassword, c); err != nil {
		return err
	}
	if err := a.accounts.Delete(ctx, p.User.ID); err != nil {
		return fmt.Errorf("delete user %d: %w", p.User.ID, err)
	}
	a.events.record(ctx, domain.EventAccountDeleted, p.User.ID, 0, c, "")
	return nil
}

// RecentActivity returns the newest RecentActivityLimit events of p's.
func (a *Account) RecentActivity(ctx context.Context, p Principal) ([]domain.SecurityEvent, error) {
	list, err := a.history.ListByUser(ctx, p.User.ID, nil, RecentActivityLimit)
	if err != nil {
		return nil, fmt.Errorf("recent activity of user %d: %w", p.User.ID, err)
	}
	return list, nil
}

// PreviousLogin returns the account's successful login before the one
// that started p's session, so a user notices a login that wasn't theirs;
// ok is false when there is none. The session took it when it started, so
// this reads nothing, except for a session stored before sessions kept
// their previous login: for that one it is the login before the account's
// latest, from the history.
func (a *Account) PreviousLogin(ctx context.Context, p Principal) (previous domain.PreviousLogin, ok bool, err error) {
	if kept := p.Session.PreviousLogin; kept.Known {
		return kept, kept.Exists(), nil
	}
	list, err := a.history.ListByUser(ctx, p.User.ID, []domain.EventKind{domain.EventLoginSuccess}, 2)
	if err != nil {
		return domain.PreviousLogin{}, false, fmt.Errorf("previous login of user %d: %w", p.User.ID, err)
	}
	if len(list) < 2 {
		return domain.PreviousLogin{}, false, nil
	}
	return domain.PreviousLogin{Known: true, At: list[1].At, IP: list[1].IP}, true, nil
}

// reauthenticate checks password against u's, reporting a mismatch as an
// invalid in. It is throttled like a login of u from c, sharing the
// login's counters and reserved the same way before the hash is verified,
// so a stolen session cannot guess the password at hashing speed; every
// failure, and every refusal, is a security event of u's.
//
// An account without a password (made through an identity provider) has
// nothing to type: for it a login within RecentLoginWindow stands in for
// the password, and after that the owner signs in with the provider again
// (docs/security.md). Its empty hash is never handed to the hasher.
func (a *Account) reauthenticate(ctx context.Context, p Principal, password string, in Input, c Client) error {
	u := p.User
	if !u.HasPassword() {
		if recentLogin(p, a.events.clock.Now()) {
			return nil
		}
		a.events.record(ctx, domain.EventReauthFailure, u.ID, 0, c, FailureStaleLogin)
		return invalidInput(in, msgSignInAgain)
	}
	if password == "" {
		return invalidInput(in, "Please enter your current password.")
	}
	ticket, err := a.throttle.ReserveLogin(ctx, LoginAttempt{Account: u.Username.Canonical(), Client: c.IP})
	if err != nil {
		if retryAfterOf(err) > 0 {
			a.events.record(ctx, domain.EventReauthFailure, u.ID, 0, c, domain.FailureThrottled)
		}
		return err
	}
	match, err := a.passwords.Verify(ctx, domain.NormalizePassword(password), u.PasswordHash)
	if err != nil || match {
		// Right, or not judged (no hashing capacity): either way no
		// failure.
		if rerr := a.throttle.ReleaseLogin(ctx, ticket); rerr != nil {
			a.log.WarnContext(ctx, "usecase: release a re-authentication's reservation", "user_id", u.ID, "err", rerr)
		}
	}
	if err != nil {
		return fmt.Errorf("check password of user %d: %w", u.ID, err)
	}
	if !match {
		a.events.record(ctx, domain.EventReauthFailure, u.ID, 0, c, domain.FailureBadPassword)
		return invalidInput(in, wrongCurrentPassword)
	}
	return nil
}

// RecentLoginWindow is how long after a login its session may do what
// otherwise needs the password again: connect an identity, or, for an
// account without a password, what asks for the current password.
const RecentLoginWindow = 15 * time.Minute

// FailureStaleLogin is a re-authentication refused because the account
// has no password and its session's login is older than
// RecentLoginWindow.
const FailureStaleLogin = "stale_login"

// msgSignInAgain asks the owner of an account without a password for a
// fresh login.
const msgSignInAgain = "This account has no password. For your safety, log out and sign in again with your provider, then try again within 15 minutes."

// recentLogin reports whether p's session began within RecentLoginWindow
// of now.
func recentLogin(p Principal, now time.Time) bool {
	return !p.Session.CreatedAt.IsZero() && now.Sub(p.Session.CreatedAt) < RecentLoginWindow
}
