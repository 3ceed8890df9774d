package usecase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// SessionPolicy holds the session lifetimes.
type SessionPolicy struct {
	// IdleTimeout ends a browser-session login after this long without a
	// request.
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a browser-session login this long after it
	// began, however active.
	AbsoluteTimeout time.Duration
	// RememberFor is the whole lifetime of a "remember me" login.
	RememberFor time.Duration
	// TouchInterval is the least time between two writes of a session's
	// last-seen time, so busy sessions do not write on every request.
	TouchInterval time.Duration
}

// Principal is the user a request acts for and the session that proves it.
type Principal struct {
	User    domain.User
	Session domain.Session
}

// SessionManager runs the session lifecycle: start, resolve (which extends
// idle sessions), revoke and purge.
type SessionManager struct {
	sessions SessionStore
	tokens   TokenSource
	clock    Clock
	policy   SessionPolicy
	log      *slog.Logger
}

// NewSessionManager returns a SessionManager with the given lifetimes.
func NewSessionManager(sessions SessionStore, tokens TokenSource, clock Clock, policy SessionPolicy, log *slog.Logger) *SessionManager {
	return &SessionManager{sessions: sessions, tokens: tokens, clock: clock, policy: policy, log: log}
}

// Policy returns the lifetimes the manager applies.
func (m *SessionManager) Policy() SessionPolicy { return m.policy }

// Start creates a session for user with a fresh token. A persistent session
// lasts RememberFor; any other ends after IdleTimeout without activity or
// AbsoluteTimeout after its start. The session keeps previous, the
// account's login before the one that starts it, for its whole life, and
// user's CredentialVersion: that of the account row whose password the
// caller checked. When the account's version has moved on since (the
// password changed meanwhile) no session is stored and the error wraps
// domain.ErrCredentialsChanged. The events are stored with the session,
// in one transaction.
func (m *SessionManager) Start(ctx context.Context, user domain.User, persistent bool, c Client, previous domain.PreviousLogin, events ...domain.SecurityEvent) (domain.Token, domain.Session, error) {
	return m.StartTwoFactor(ctx, user, persistent, c, previous, time.Time{}, events...)
}

// StartTwoFactor starts a session as Start does, marked as two-factor at
// twoFactorAt: when its login passed a second factor (zero for none).
// The mark is what "a recent two-factor login" is judged by.
func (m *SessionManager) StartTwoFactor(ctx context.Context, user domain.User, persistent bool, c Client, previous domain.PreviousLogin, twoFactorAt time.Time, events ...domain.SecurityEvent) (domain.Token, domain.Session, error) {
	token, err := m.tokens.NewToken()
	if err != nil {
		return "", domain.Session{}, fmt.Errorf("start session for user %d: %w", user.ID, err)
	}
	now := m.clock.Now().UTC()
	s := domain.Session{
		TokenHash:         token.Hash(),
		UserID:            user.ID,
		Persistent:        persistent,
		CreatedAt:         now,
		LastSeenAt:        now,
		IP:                c.ipText(),
		UserAgent:         c.userAgent(),
		PreviousLogin:     previous,
		CredentialVersion: user.CredentialVersion,
	}
	if !twoFactorAt.IsZero() {
		s.TwoFactorAt = twoFactorAt.UTC()
	}
	if persistent {
		s.AbsoluteExpiresAt = now.Add(m.policy.RememberFor)
	} else {
		s.AbsoluteExpiresAt = now.Add(m.policy.AbsoluteTimeout)
	}
	s.ExpiresAt = m.nextExpiry(s, now)
	s, err = m.sessions.Create(ctx, s, events...)
	if err != nil {
		return "", domain.Session{}, fmt.Errorf("start session for user %d: %w", user.ID, err)
	}
	return token, s, nil
}

// Restart ends every session of p's account and starts one for this
// browser under the credential version the caller just set: the same
// login goes on (p's "remember me" and previous login), marked two-factor
// at twoFactorAt (zero for none). It is how a credential change keeps its
// author signed in. When the version has moved on again since, no session
// is stored and the error wraps domain.ErrUnauthenticated.
func (m *SessionManager) Restart(ctx context.Context, p Principal, version int64, c Client, twoFactorAt time.Time) (domain.Token, domain.Session, error) {
	if _, err := m.RevokeAll(ctx, p.User.ID, 0); err != nil {
		return "", domain.Session{}, err
	}
	u := p.User
	u.CredentialVersion = version
	token, s, err := m.StartTwoFactor(ctx, u, p.Session.Persistent, c, p.Session.PreviousLogin, twoFactorAt)
	if errors.Is(err, domain.ErrCredentialsChanged) {
		return "", domain.Session{}, fmt.Errorf("restart sessions of user %d: credentials changed again: %w", p.User.ID, domain.ErrUnauthenticated)
	}
	return token, s, err
}

// Resolve returns the principal behind token, or an error wrapping
// domain.ErrUnauthenticated when the token is unknown, expired or revoked,
// its account disabled, or the account's password changed since the
// session started (its credential version is no longer the session's;
// the session is then deleted). It reads the session and its account in one
// round trip, and nothing is cached: a revocation on any instance counts
// at once. It moves an idle deadline forward, writing at most once per
// TouchInterval; a failed write is logged and does not fail the request,
// unless the session was revoked in the meantime.
func (m *SessionManager) Resolve(ctx context.Context, token domain.Token) (Principal, error) {
	s, u, err := m.sessions.ByTokenHashWithUser(ctx, token.Hash())
	if errors.Is(err, domain.ErrNotFound) {
		return Principal{}, domain.ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, fmt.Errorf("resolve session: %w", err)
	}
	now := m.clock.Now().UTC()
	if !s.Active(now) {
		m.discard(ctx, s, "expired")
		return Principal{}, domain.ErrUnauthenticated
	}
	if !s.Current(u) {
		// Started before a credential change: a password change revokes
		// the sessions it knows of, and this covers one whose login
		// raced it.
		m.discard(ctx, s, "credentials changed")
		return Principal{}, domain.ErrUnauthenticated
	}
	if u.Disabled {
		// Disabling deletes the sessions; this covers a race with it.
		return Principal{}, domain.ErrUnauthenticated
	}
	if now.Sub(s.LastSeenAt) >= m.policy.TouchInterval {
		expires := m.nextExpiry(s, now)
		err := m.sessions.Touch(ctx, s.ID, now, expires)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			// Revoked or purged since it was read: it no longer counts.
			return Principal{}, domain.ErrUnauthenticated
		case err != nil:
			m.log.WarnContext(ctx, "usecase: extend session", "session_id", s.ID, "err", err)
		default:
			s.LastSeenAt, s.ExpiresAt = now, expires
		}
	}
	return Principal{User: u, Session: s}, nil
}

// discard deletes s, which Resolve refused for reason. A failure is
// logged: the session is refused all the same.
func (m *SessionManager) discard(ctx context.Context, s domain.Session, reason string) {
	if err := m.sessions.Delete(ctx, s.ID); err != nil && !errors.Is(err, domain.ErrNotFound) {
		m.log.WarnContext(ctx, "usecase: delete refused session", "session_id", s.ID, "reason", reason, "err", err)
	}
}

// Revoke ends the session behind token. An unknown token is not an error:
// the outcome the caller wants already holds.
func (m *SessionManager) Revoke(ctx context.Context, token domain.Token) error {
	s, err := m.sessions.ByTokenHash(ctx, token.Hash())
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return m.RevokeByID(ctx, s.ID)
}

// RevokeByID ends the session with ID id, whoever it belongs to: the
// caller has checked that it may. A session already gone is not an
// error: the outcome the caller wants already holds.
func (m *SessionManager) RevokeByID(ctx context.Context, id domain.SessionID) error {
	if err := m.sessions.Delete(ctx, id); err != nil && !errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("revoke session %d: %w", id, err)
	}
	return nil
}

// List returns user's active sessions, newest first.
func (m *SessionManager) List(ctx context.Context, user domain.UserID) ([]domain.Session, error) {
	list, err := m.sessions.ListByUser(ctx, user, m.clock.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("list sessions of user %d: %w", user, err)
	}
	return list, nil
}

// RevokeAll ends every session of user except the one with ID except
// (zero ends them all) and reports how many ended.
func (m *SessionManager) RevokeAll(ctx context.Context, user domain.UserID, except domain.SessionID) (int64, error) {
	n, err := m.sessions.DeleteByUser(ctx, user, except)
	if err != nil {
		return 0, fmt.Errorf("revoke sessions of user %d: %w", user, err)
	}
	return n, nil
}

// Purge deletes every session that has expired and reports how many.
func (m *SessionManager) Purge(ctx context.Context) (int64, error) {
	n, err := m.sessions.DeleteExpired(ctx, m.clock.Now().UTC())
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return n, nil
}

// nextExpiry is the deadline of s after activity at now.
func (m *SessionManager) nextExpiry(s domain.Session, now time.Time) time.Time {
	if s.Persistent {
		return s.AbsoluteExpiresAt
	}
	idle := now.Add(m.policy.IdleTimeout)
	if idle.After(s.AbsoluteExpiresAt) {
		return s.AbsoluteExpiresAt
	}
	return idle
}
