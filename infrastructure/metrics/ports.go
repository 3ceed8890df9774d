package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Each wrapper fits the port it wraps, so it stands in for what it wraps:
// the deliveries call Logins and Signups in place of the use cases, and the
// use cases hash through TimedHasher.
var (
	_ httpx.Authenticator    = (*Logins)(nil)
	_ httpx.Registrar        = (*Signups)(nil)
	_ usecase.PasswordHasher = (*TimedHasher)(nil)
)

// Logins counts the outcomes of the logins it passes on.
type Logins struct {
	next httpx.Authenticator
	m    *Metrics
}

// NewLogins wraps next, counting into m.
func NewLogins(next httpx.Authenticator, m *Metrics) *Logins {
	return &Logins{next: next, m: m}
}

// Login runs the login and counts its outcome.
func (l *Logins) Login(ctx context.Context, in usecase.LoginInput) (usecase.LoginResult, error) {
	res, err := l.next.Login(ctx, in)
	outcome := LoginOutcome(err)
	l.m.logins.WithLabelValues(outcome).Inc()
	if outcome == "throttled" {
		l.m.throttled.WithLabelValues("login").Inc()
	}
	return res, err
}

// LoginOutcome names the outcome of a login that returned err.
func LoginOutcome(err error) string {
	var throttled *domain.ThrottledError
	switch {
	case err == nil:
		return "success"
	case errors.As(err, &throttled):
		return "throttled"
	case errors.Is(err, domain.ErrInvalidCredentials):
		return "invalid_credentials"
	case errors.Is(err, domain.ErrAccountDisabled):
		return "disabled"
	case errors.Is(err, domain.ErrUnavailable):
		return "unavailable"
	default:
		return "error"
	}
}

// Signups counts the signups it passes on that throttling refused.
type Signups struct {
	next httpx.Registrar
	m    *Metrics
}

// NewSignups wraps next, counting into m.
func NewSignups(next httpx.Registrar, m *Metrics) *Signups {
	return &Signups{next: next, m: m}
}

// Register runs the signup and counts it when throttling refused it.
func (s *Signups) Register(ctx context.Context, in usecase.RegisterInput) (domain.User, error) {
	u, err := s.next.Register(ctx, in)
	var throttled *domain.ThrottledError
	if errors.As(err, &throttled) {
		s.m.throttled.WithLabelValues("signup").Inc()
	}
	return u, err
}

// TimedHasher times every hash and verification it passes on.
type TimedHasher struct {
	next usecase.PasswordHasher
	m    *Metrics
}

// NewTimedHasher wraps next, timing into m's hash duration histogram.
func NewTimedHasher(next usecase.PasswordHasher, m *Metrics) *TimedHasher {
	return &TimedHasher{next: next, m: m}
}

// Hash hashes password and times it.
func (t *TimedHasher) Hash(ctx context.Context, password domain.Password) (string, error) {
	start := time.Now()
	defer t.observe("hash", start)
	return t.next.Hash(ctx, password)
}

// Verify checks password against encoded and times it.
func (t *TimedHasher) Verify(ctx context.Context, password domain.Password, encoded string) (bool, bool, error) {
	start := time.Now()
	defer t.observe("verify", start)
	return t.next.Verify(ctx, password, encoded)
}

// Saturated reports whether the wrapped hasher is saturated for ctx.
func (t *TimedHasher) Saturated(ctx context.Context) bool { return t.next.Saturated(ctx) }

func (t *TimedHasher) observe(op string, start time.Time) {
	t.m.hashing.WithLabelValues(op).Observe(time.Since(start).Seconds())
}
