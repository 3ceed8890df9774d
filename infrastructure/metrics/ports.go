package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Logins and Signups stand in for the use cases behind the deliveries'
// ports.
var (
	_ httpx.Authenticator = (*Logins)(nil)
	_ httpx.Registrar     = (*Signups)(nil)
)

// Logins counts the outcomes of the login use case. It fits
// httpx.Authenticator, so the deliveries call it in place of the use case.
type Logins struct {
	next interface {
		Login(ctx context.Context, in usecase.LoginInput) (usecase.LoginResult, error)
	}
	m *Metrics
}

// NewLogins wraps auth.
func NewLogins(auth *usecase.Authenticator, m *Metrics) *Logins {
	return &Logins{next: auth, m: m}
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

// Signups counts signups refused by throttling. It fits httpx.Registrar.
type Signups struct {
	next interface {
		Register(ctx context.Context, in usecase.RegisterInput) (domain.User, error)
	}
	m *Metrics
}

// NewSignups wraps reg.
func NewSignups(reg *usecase.Registrar, m *Metrics) *Signups {
	return &Signups{next: reg, m: m}
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

// timedHasher times every hash and verification of the hasher it wraps.
type timedHasher struct {
	next usecase.PasswordHasher
	m    *Metrics
}

// TimeHasher returns h, timed into m's hash duration histogram.
func TimeHasher(h usecase.PasswordHasher, m *Metrics) usecase.PasswordHasher {
	return &timedHasher{next: h, m: m}
}

func (t *timedHasher) Hash(ctx context.Context, password domain.Password) (string, error) {
	start := time.Now()
	defer t.observe("hash", start)
	return t.next.Hash(ctx, password)
}

func (t *timedHasher) Verify(ctx context.Context, password domain.Password, encoded string) (bool, bool, error) {
	start := time.Now()
	defer t.observe("verify", start)
	return t.next.Verify(ctx, password, encoded)
}

func (t *timedHasher) Saturated() bool { return t.next.Saturated() }

func (t *timedHasher) observe(op string, start time.Time) {
	t.m.hashing.WithLabelValues(op).Observe(time.Since(start).Seconds())
}
