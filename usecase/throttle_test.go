package usecase_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var testThrottlePolicy = usecase.ThrottlePolicy{
	MaxFailures:         5,
	BaseDelay:           30 * time.Second,
	MaxDelay:            15 * time.Minute,
	FailureMemory:       24 * time.Hour,
	NetworkMaxFailures:  100,
	AccountMaxFailures:  20,
	SignupMaxPerNetwork: 20,
	Window:              time.Hour,

	RecoveryMaxPerAddress: 3,
	RecoveryMaxPerNetwork: 10,
	ResendMaxPerAccount:   3,
	MailWindow:            15 * time.Minute,
}

// testDevices signs the device proofs of the use case tests.
var testDevices = usecase.NewDeviceProofs(usecase.DeviceKey("usecase test key, 32 bytes long!"))

func newTestThrottle(store usecase.ThrottleStore, clock usecase.Clock) *usecase.Throttle {
	return usecase.NewThrottle(store, clock, testThrottlePolicy)
}

func TestClientNetwork(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"", "unknown"},
	}
	for _, tt := range tests {
		var ip netip.Addr
		if tt.ip != "" {
			ip = netip.MustParseAddr(tt.ip)
		}
		if got := usecase.ClientNetwork(ip); got != tt.want {
			t.Errorf("ClientNetwork(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

// TestClientAllocation: the caps over all accounts count an IPv6 client
// per /48, the block a site is commonly given, so that the 65536 /64s of
// one site are one client for them.
func TestClientAllocation(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"203.0.113.7", "203.0.113.7"},
		{"::ffff:203.0.113.7", "203.0.113.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1::/48"},
		{"2001:db8:1:ffff::1", "2001:db8:1::/48"},
		{"2001:db8:2::1", "2001:db8:2::/48"},
		{"", "unknown"},
	}
	for _, tt := range tests {
		var ip netip.Addr
		if tt.ip != "" {
			ip = netip.MustParseAddr(tt.ip)
		}
		if got := usecase.ClientAllocation(ip); got != tt.want {
			t.Errorf("ClientAllocation(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

// TestSignupCapCountsIPv6Per48: signups from different /64s of one /48
// share the cap.
func TestSignupCapCountsIPv6Per48(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	s := newStores(t)
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(&fakeHasher{version: "v1"}, fakeBlocklist{}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)
	register := func(i int, ip string) error {
		_, err := r.Register(context.Background(), usecase.RegisterInput{Username: fmt.Sprintf("user-%02d", i), Password: "correct horse battery", Client: usecase.Client{IP: netip.MustParseAddr(ip)}})
		return err
	}
	for i := range testThrottlePolicy.SignupMaxPerNetwork {
		if err := register(i, fmt.Sprintf("2001:db8:1:%x::1", i)); err != nil {
			t.Fatalf("signup %d from its own /64 error = %v", i, err)
		}
	}
	if err := register(98, "2001:db8:1:ffff::1"); retryAfter(err) == 0 {
		t.Errorf("signup from yet another /64 of the same /48 error = %v, want throttled", err)
	}
	if err := register(99, "2001:db8:2::1"); err != nil {
		t.Errorf("signup from another /48 error = %v, want nil", err)
	}
}

// login tries alice's account from ip with password and returns the error.
func (f *authFixture) try(ip, password string) error {
	_, err := f.auth.Login(context.Background(), usecase.LoginInput{
		Username: "alice", Password: password, Client: usecase.Client{IP: netip.MustParseAddr(ip)},
	})
	return err
}

func retryAfter(err error) time.Duration {
	var te *domain.ThrottledError
	if errors.As(err, &te) {
		return te.RetryAfter
	}
	return 0
}

func TestLoginLockoutDoublesAndCaps(t *testing.T) {
	f := newAuthFixture(t)
	const ip = "198.51.100.1"
	for i := 1; i <= 5; i++ {
		if err := f.try(ip, "wrong password!"); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("failure %d: error = %v, want invalid credentials", i, err)
		}
	}
	// Locked now: even the right password is refused the same way, and
	// still costs one verification.
	before := f.hasher.verifies
	err := f.try(ip, "correct horse battery")
	if got := retryAfter(err); got != 30*time.Second {
		t.Fatalf("right password while locked: error = %v, want ThrottledError 30s", err)
	}
	if f.hasher.verifies != before+1 {
		t.Errorf("throttled login ran %d verifications, want 1 (same time as any other)", f.hasher.verifies-before)
	}
	// Each failure after a lock doubles the delay: 60s, 120s, ... capped at 15m.
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	for _, w := range want {
		f.clock.Advance(retryAfter(f.try(ip, "x")))
		if err := f.try(ip, "wrong password!"); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("failure after the lock: %v, want invalid credentials", err)
		}
		if got := retryAfter(f.try(ip, "wrong password!")); got != w {
			t.Errorf("lock after another failure = %v, want %v", got, w)
		}
	}
	// Another network is not locked out of the account.
	if err := f.try("198.51.100.2", "correct horse battery"); err != nil {
		t.Errorf("login from another network error = %v, want nil", err)
	}
	// Once the lock passes, the right password works and resets the count.
	f.clock.Advance(15 * time.Minute)
	if err := f.try(ip, "correct horse battery"); err != nil {
		t.Fatalf("login after the lock error = %v, want nil", err)
	}
	for i := 1; i <= 4; i++ {
		if err := f.try(ip, "wrong password!"); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("after reset, failure %d: %v, want invalid credentials (not throttled)", i, err)
		}
	}
}

func TestLoginLockoutAppliesToUnknownNames(t *testing.T) {
	f := newAuthFixture(t)
	in := usecase.LoginInput{Username: "nobody", Password: "whatever password", Client: usecase.Client{IP: netip.MustParseAddr("198.51.100.9")}}
	for range 5 {
		f.auth.Login(context.Background(), in)
	}
	if _, err := f.auth.Login(context.Background(), in); retryAfter(err) == 0 {
		t.Errorf("6th login for an unknown name error = %v, want throttled like a real account", err)
	}
}

func TestLoginNetworkCap(t *testing.T) {
	f := newAuthFixture(t)
	const ip = "2001:db8::1"
	ctx := context.Background()
	// 100 failures spread over many names (password spraying), from one /64.
	for i := range 100 {
		f.clock.Advance(10 * time.Second)
		in := usecase.LoginInput{Username: "user" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Password: "Summer2026!!", Client: usecase.Client{IP: netip.MustParseAddr(ip)}}
		if _, err := f.auth.Login(ctx, in); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("spray attempt %d: %v, want invalid credentials", i, err)
		}
	}
	err := f.try("2001:db8::2", "correct horse battery") // same /64, right password
	want := time.Hour - 1000*time.Second + 10*time.Second
	if got := retryAfter(err); got != want {
		t.Errorf("after 100 failures from one network: error = %v, want throttled for %v (until the oldest leaves the hour)", err, want)
	}
	f.clock.Advance(want)
	if err := f.try(ip, "correct horse battery"); err != nil {
		t.Errorf("after the window moved on: error = %v, want nil", err)
	}
}

func TestSignupCap(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	s := newStores(t)
	r := usecase.NewRegistrar(s.users, usecase.NewPasswordPolicy(&fakeHasher{version: "v1"}, fakeBlocklist{}), newTestThrottle(s.throttles, clock), s.events, clock, discard, nil)
	ip := netip.MustParseAddr("192.0.2.1")
	for i := range 20 {
		clock.Advance(time.Minute)
		in := usecase.RegisterInput{Username: "user-" + string(rune('a'+i)), Password: "correct horse battery", Client: usecase.Client{IP: ip}}
		if _, err := r.Register(context.Background(), in); err != nil {
			t.Fatalf("signup %d error = %v", i, err)
		}
	}
	_, err := r.Register(context.Background(), usecase.RegisterInput{Username: "one-more", Password: "correct horse battery", Client: usecase.Client{IP: ip}})
	if got := retryAfter(err); got != 41*time.Minute {
		t.Errorf("21st signup in an hour: error = %v, want throttled 41m", err)
	}
	other := usecase.RegisterInput{Username: "elsewhere", Password: "correct horse battery", Client: usecase.Client{IP: netip.MustParseAddr("192.0.2.2")}}
	if _, err := r.Register(context.Background(), other); err != nil {
		t.Errorf("signup from another address error = %v, want nil", err)
	}
}

// TestLoginFailsClosedWhenFailuresCannotBeCounted: a throttle store that
// cannot reserve the attempt refuses the login, without verifying the
// password, rather than let an uncounted guess through.
func TestLoginFailsClosedWhenFailuresCannotBeCounted(t *testing.T) {
	for _, password := range []string{"wrong password!", "correct horse battery"} {
		f := newAuthFixture(t)
		f.throttles.err = domain.ErrUnavailable
		if err := f.try("198.51.100.1", password); !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("Login(%q) with a failing throttle store error = %v, want %v", password, err, domain.ErrUnavailable)
		}
		if n := f.sessions.count(t); n != 0 {
			t.Errorf("Login(%q) with a failing throttle store started %d sessions, want 0", password, n)
		}
	}
}

func TestLoginHashingUnavailableLooksTheSameForEveryName(t *testing.T) {
	f := newAuthFixture(t)
	f.hasher.fail = domain.ErrUnavailable
	for _, name := range []string{"alice", "nobody", "a"} {
		_, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: name, Password: "whatever password"})
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("Login(%q) with a full hashing pool error = %v, want %v for every name", name, err, domain.ErrUnavailable)
		}
	}
}

func TestThrottlePurge(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	th := newTestThrottle(newStores(t).throttles, clock)
	ctx := context.Background()
	ip := netip.MustParseAddr("192.0.2.1")
	if _, err := th.ReserveLogin(ctx, usecase.LoginAttempt{Account: "alice", Client: ip}); err != nil {
		t.Fatalf("ReserveLogin() error = %v", err)
	}
	if _, err := th.ReserveSignup(ctx, ip); err != nil {
		t.Fatalf("ReserveSignup() error = %v", err)
	}
	clock.Advance(2 * time.Hour)
	if n, err := th.Purge(ctx); err != nil || n != 3 {
		t.Errorf("Purge after 2h = %d, %v; want 3 events gone (the failure's for the network and for the account, the signup's)", n, err)
	}
	clock.Advance(23 * time.Hour)
	if n, err := th.Purge(ctx); err != nil || n != 1 {
		t.Errorf("Purge after 25h = %d, %v; want the failure counter gone", n, err)
	}
}
