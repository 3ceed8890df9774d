package usecase

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// The kinds of throttle event, counted per client network for the
// per-network caps (ThrottleStore.AddEvent, CountEvents). They are
// throttle counters, not security events: domain.EventSignup and
// domain.EventLoginFailure are the account history's, kept elsewhere.
const (
	ThrottleLoginFailure = "login_failure"
	ThrottleSignup       = "signup"
)

// ThrottlePolicy holds the limits.
type ThrottlePolicy struct {
	// MaxFailures consecutive failures of one username from one network
	// lock that pair for BaseDelay, doubled per further failure up to
	// MaxDelay.
	MaxFailures int
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	// FailureMemory is how long consecutive failures are remembered
	// without a new one.
	FailureMemory time.Duration
	// NetworkMaxFailures caps failed logins per network per Window across
	// all accounts (password spraying).
	NetworkMaxFailures int
	// SignupMaxPerNetwork caps accounts created per network per Window.
	SignupMaxPerNetwork int
	// Window is the span of the per-network caps.
	Window time.Duration
}

// Throttle applies a ThrottlePolicy to logins and signups.
type Throttle struct {
	store  ThrottleStore
	clock  Clock
	policy ThrottlePolicy
}

// NewThrottle returns a Throttle keeping its state in store.
func NewThrottle(store ThrottleStore, clock Clock, policy ThrottlePolicy) *Throttle {
	return &Throttle{store: store, clock: clock, policy: policy}
}

// ClientNetwork is the key of a client for throttling: its IPv4 address,
// or the /64 an IPv6 address belongs to (one subscriber usually holds a
// whole /64, so counting single IPv6 addresses would be easy to evade).
func ClientNetwork(ip netip.Addr) string {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return "unknown"
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// CheckLogin returns a *domain.ThrottledError when logins naming username
// (canonical) from network must wait. username may be "" (no valid
// username was given): then only the network's cap applies.
func (t *Throttle) CheckLogin(ctx context.Context, username, network string) error {
	now := t.clock.Now()
	if username != "" {
		n, last, err := t.store.Failures(ctx, username, network, now.Add(-t.policy.FailureMemory))
		if err != nil {
			return fmt.Errorf("throttle: read failures: %w", err)
		}
		if n >= t.policy.MaxFailures {
			if wait := last.Add(t.lockDelay(n)).Sub(now); wait > 0 {
				return &domain.ThrottledError{RetryAfter: wait}
			}
		}
	}
	return t.checkNetwork(ctx, ThrottleLoginFailure, network, t.policy.NetworkMaxFailures)
}

// LoginFailed records a failed login naming username (canonical, or "")
// from network.
func (t *Throttle) LoginFailed(ctx context.Context, username, network string) error {
	now := t.clock.Now()
	if err := t.store.RecordFailure(ctx, username, network, now, now.Add(-t.policy.FailureMemory)); err != nil {
		return fmt.Errorf("throttle: record failure: %w", err)
	}
	return nil
}

// LoginSucceeded resets the failures of username (canonical) from network.
func (t *Throttle) LoginSucceeded(ctx context.Context, username, network string) error {
	if err := t.store.ResetFailures(ctx, username, network); err != nil {
		return fmt.Errorf("throttle: reset failures: %w", err)
	}
	return nil
}

// CheckSignup returns a *domain.ThrottledError when network created too
// many accounts recently.
func (t *Throttle) CheckSignup(ctx context.Context, network string) error {
	return t.checkNetwork(ctx, ThrottleSignup, network, t.policy.SignupMaxPerNetwork)
}

// SignedUp counts an account created from network.
func (t *Throttle) SignedUp(ctx context.Context, network string) error {
	if err := t.store.AddEvent(ctx, ThrottleSignup, network, t.clock.Now()); err != nil {
		return fmt.Errorf("throttle: record signup: %w", err)
	}
	return nil
}

// Purge forgets state too old to matter.
func (t *Throttle) Purge(ctx context.Context) (int64, error) {
	now := t.clock.Now()
	n, err := t.store.Purge(ctx, now.Add(-t.policy.Window), now.Add(-t.policy.FailureMemory))
	if err != nil {
		return 0, fmt.Errorf("throttle: purge: %w", err)
	}
	return n, nil
}

func (t *Throttle) checkNetwork(ctx context.Context, kind, network string, limit int) error {
	now := t.clock.Now()
	// The window is (now-Window, now]: an event exactly Window old has
	// left it. Stores keep milliseconds, hence the 1 ms.
	n, earliest, err := t.store.CountEvents(ctx, kind, network, now.Add(-t.policy.Window+time.Millisecond))
	if err != nil {
		return fmt.Errorf("throttle: count %s: %w", kind, err)
	}
	if n >= limit {
		wait := earliest.Add(t.policy.Window).Sub(now)
		if wait < time.Second {
			wait = time.Second
		}
		return &domain.ThrottledError{RetryAfter: wait}
	}
	return nil
}

// lockDelay is how long n consecutive failures lock a username+network:
// BaseDelay at MaxFailures, doubling per further failure, at most MaxDelay.
func (t *Throttle) lockDelay(n int) time.Duration {
	d := t.policy.BaseDelay
	for i := t.policy.MaxFailures; i < n && d < t.policy.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.policy.MaxDelay)
}
