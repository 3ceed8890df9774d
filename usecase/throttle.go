package usecase

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// The kinds of windowed throttle count (ThrottleStore.Reserve). They are
// throttle counters, not security events: domain.EventSignup and
// domain.EventLoginFailure are the account history's, kept elsewhere.
const (
	// ThrottleLoginFailure counts failed logins per ClientAllocation,
	// across all accounts (password spraying).
	ThrottleLoginFailure = "login_failure"
	// ThrottleSignup counts signups per ClientAllocation.
	ThrottleSignup = "signup"
	// ThrottleAccountFailure counts, per account (canonical username),
	// the failed logins of clients without a device proof for it, from
	// every network.
	ThrottleAccountFailure = "account_failure"
	// ThrottleRecoveryAddress counts account recovery requests per
	// address (a keyed hash of its canonical form, whether or not an
	// account has it), and ThrottleRecoveryNetwork per ClientAllocation.
	ThrottleRecoveryAddress = "recovery_address"
	ThrottleRecoveryNetwork = "recovery_network"
	// ThrottleEmailResend counts, per account, the verification codes it
	// asked to be sent again.
	ThrottleEmailResend = "email_resend"
	// ThrottleProviderLogin counts the logins sent to an identity
	// provider per ClientAllocation: each stores a state until it
	// expires.
	ThrottleProviderLogin = "provider_login"
)

// ProviderLoginsPerNetwork caps the provider logins one network may start
// per Window: a person starts a few; a script that starts thousands would
// only fill the table of states.
const ProviderLoginsPerNetwork = 120

// ThrottlePolicy holds the limits.
type ThrottlePolicy struct {
	// MaxFailures consecutive failures of one username from one network,
	// or from one device (DeviceProofs), lock that pair for BaseDelay,
	// doubled per further failure up to MaxDelay.
	MaxFailures int
	BaseDelay   time.Duration
	MaxDelay    time.Duration
	// FailureMemory is how long consecutive failures are remembered
	// without a new one.
	FailureMemory time.Duration
	// NetworkMaxFailures caps failed logins per network per Window across
	// all accounts (password spraying).
	NetworkMaxFailures int
	// AccountMaxFailures caps the failed logins per account per Window of
	// every client without a device proof for it, whatever its network:
	// rotating addresses gives no more guesses. A device that logged in
	// to the account before is judged by its own counter instead, so the
	// owner is not locked out by it.
	AccountMaxFailures int
	// SignupMaxPerNetwork caps accounts created per network per Window.
	SignupMaxPerNetwork int
	// Window is the span of the per-network and per-account caps.
	Window time.Duration
	// RecoveryMaxPerAddress caps the account recovery requests per
	// address, and RecoveryMaxPerNetwork per network, per MailWindow;
	// ResendMaxPerAccount caps the verification codes an account asks to
	// be sent again per MailWindow. Each of these mails someone.
	RecoveryMaxPerAddress int
	RecoveryMaxPerNetwork int
	ResendMaxPerAccount   int
	// MailWindow is the span of the caps on mail sent on request.
	MailWindow time.Duration
}

// Throttle applies a ThrottlePolicy to logins, re-authentications and
// signups. Every attempt is reserved in the store before the password is
// verified, counted as a failure, and given back when it succeeds, so the
// limits hold however many attempts arrive at once.
type Throttle struct {
	store  ThrottleStore
	clock  Clock
	policy ThrottlePolicy
}

// NewThrottle returns a Throttle keeping its state in store.
func NewThrottle(store ThrottleStore, clock Clock, policy ThrottlePolicy) *Throttle {
	return &Throttle{store: store, clock: clock, policy: policy}
}

// ClientNetwork is the key of a client for the failures of one account
// from one client: its IPv4 address, or the /64 an IPv6 address belongs
// to (one subscriber usually holds a whole /64, so counting single IPv6
// addresses would be easy to evade).
func ClientNetwork(ip netip.Addr) string {
	return clientPrefix(ip, 64)
}

// ClientAllocation is the key of a client for the caps over all accounts
// (failed logins, signups): its IPv4 address, or the /48 an IPv6 address
// belongs to. A site is commonly given a /48 (RFC 6177), 65536 /64s: per
// /64, one subscriber could spray or sign up 65536 times as much.
func ClientAllocation(ip netip.Addr) string {
	return clientPrefix(ip, 48)
}

func clientPrefix(ip netip.Addr, bits int) string {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return "unknown"
	}
	if ip.Is6() {
		p, _ := ip.Prefix(bits)
		return p.String()
	}
	return ip.String()
}

// deviceKey is the failure counter key of the device with nonce; no
// client network is written like it.
func deviceKey(nonce string) string { return "device:" + nonce }

// LoginAttempt is what a login or a re-authentication is throttled by.
type LoginAttempt struct {
	// Account is the canonical username given, or "" when the name is not
	// a valid username: then only the network's cap applies.
	Account string
	Client  netip.Addr
	// Device is the nonce of a device proof valid for the account, or ""
	// when the client presented none.
	Device string
}

// ReserveLogin reserves one failed attempt of a: it returns a
// *domain.ThrottledError, counting nothing, when a must wait, and
// otherwise the ticket that ReleaseLogin takes when the password proves
// right. An attempt is judged by its device's failures when a.Device is
// set, else by the failures of the account from the client's network and
// by the account's budget for unknown devices; and by the network's cap
// either way.
func (t *Throttle) ReserveLogin(ctx context.Context, a LoginAttempt) (ThrottleTicket, error) {
	now := t.clock.Now()
	r := ThrottleReservation{At: now, Windows: []WindowCount{t.window(ThrottleLoginFailure, ClientAllocation(a.Client), t.policy.NetworkMaxFailures)}}
	if a.Account != "" {
		key := ClientNetwork(a.Client)
		if a.Device != "" {
			key = deviceKey(a.Device)
		} else {
			r.Windows = append(r.Windows, t.window(ThrottleAccountFailure, a.Account, t.policy.AccountMaxFailures))
		}
		r.Counter = FailureCounter{
			Account: a.Account, Key: key, Since: now.Add(-t.policy.FailureMemory),
			Lock: LockRule{Max: t.policy.MaxFailures, Base: t.policy.BaseDelay, Cap: t.policy.MaxDelay},
		}
	}
	return t.reserve(ctx, r, "login")
}

// ReleaseLogin gives back a login's reservation: the password was right,
// so the attempt was no failure, and the run of failures it was judged by
// ends.
func (t *Throttle) ReleaseLogin(ctx context.Context, ticket ThrottleTicket) error {
	if err := t.store.Release(ctx, ticket); err != nil {
		return fmt.Errorf("throttle: release login: %w", err)
	}
	return nil
}

// ReserveSignup reserves one signup from client: it returns a
// *domain.ThrottledError when client's network created too many accounts
// recently.
func (t *Throttle) ReserveSignup(ctx context.Context, client netip.Addr) (ThrottleTicket, error) {
	r := ThrottleReservation{At: t.clock.Now(), Windows: []WindowCount{t.window(ThrottleSignup, ClientAllocation(client), t.policy.SignupMaxPerNetwork)}}
	return t.reserve(ctx, r, "signup")
}

// ReserveProviderLogin counts one login sent to an identity provider from
// client: it returns a *domain.ThrottledError when client's network
// started ProviderLoginsPerNetwork of them within the window.
func (t *Throttle) ReserveProviderLogin(ctx context.Context, client netip.Addr) error {
	r := ThrottleReservation{At: t.clock.Now(), Windows: []WindowCount{t.window(ThrottleProviderLogin, ClientAllocation(client), ProviderLoginsPerNetwork)}}
	_, err := t.reserve(ctx, r, "provider login")
	return err
}

// ReleaseSignup gives back a signup's reservation.
func (t *Throttle) ReleaseSignup(ctx context.Context, ticket ThrottleTicket) error {
	if err := t.store.Release(ctx, ticket); err != nil {
		return fmt.Errorf("throttle: release signup: %w", err)
	}
	return nil
}

// ReserveRecovery counts one account recovery request for the address
// whose key is addressKey, from client: it returns a
// *domain.ThrottledError, counting nothing, when the address or the
// client's network asked too often recently. A request is never given
// back: each one mails someone.
func (t *Throttle) ReserveRecovery(ctx context.Context, addressKey string, client netip.Addr) error {
	r := ThrottleReservation{At: t.clock.Now(), Windows: []WindowCount{
		t.mailWindow(ThrottleRecoveryAddress, addressKey, t.policy.RecoveryMaxPerAddress),
		t.mailWindow(ThrottleRecoveryNetwork, ClientAllocation(client), t.policy.RecoveryMaxPerNetwork),
	}}
	_, err := t.reserve(ctx, r, "recovery")
	return err
}

// ReserveResend counts one verification code user asked to be sent
// again: a *domain.ThrottledError, counting nothing, when it asked too
// often recently.
func (t *Throttle) ReserveResend(ctx context.Context, user domain.UserID) error {
	r := ThrottleReservation{At: t.clock.Now(), Windows: []WindowCount{
		t.mailWindow(ThrottleEmailResend, strconv.FormatInt(int64(user), 10), t.policy.ResendMaxPerAccount),
	}}
	_, err := t.reserve(ctx, r, "resend")
	return err
}

// ClearAccount forgets the failed logins of the account named username
// (its canonical form), from every network and device: the login lockout
// ends.
func (t *Throttle) ClearAccount(ctx context.Context, username string) error {
	if _, err := t.store.ClearAccount(ctx, username); err != nil {
		return fmt.Errorf("throttle: clear account: %w", err)
	}
	return nil
}

// Purge forgets state too old to matter.
func (t *Throttle) Purge(ctx context.Context) (int64, error) {
	now := t.clock.Now()
	n, err := t.store.Purge(ctx, now.Add(-max(t.policy.Window, t.policy.MailWindow)), now.Add(-t.policy.FailureMemory))
	if err != nil {
		return 0, fmt.Errorf("throttle: purge: %w", err)
	}
	return n, nil
}

func (t *Throttle) window(kind, key string, limit int) WindowCount {
	return WindowCount{Kind: kind, Key: key, Max: limit, Window: t.policy.Window}
}

func (t *Throttle) mailWindow(kind, key string, limit int) WindowCount {
	return WindowCount{Kind: kind, Key: key, Max: limit, Window: t.policy.MailWindow}
}

// reserve asks the store for r and turns a refusal into a
// *domain.ThrottledError of at least a second.
func (t *Throttle) reserve(ctx context.Context, r ThrottleReservation, what string) (ThrottleTicket, error) {
	ticket, until, err := t.store.Reserve(ctx, r)
	if err != nil {
		return ThrottleTicket{}, fmt.Errorf("throttle: reserve %s: %w", what, err)
	}
	if !until.IsZero() {
		return ThrottleTicket{}, &domain.ThrottledError{RetryAfter: max(until.Sub(r.At), time.Second)}
	}
	return ticket, nil
}
