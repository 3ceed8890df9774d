package usecase_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// Rotating client addresses gives no more guesses against one account:
// clients without a device proof for it share the account's budget
// (AccountMaxFailures an hour). The owner's device, which logged in
// before, is judged by its own failures and still gets in.

// rotating is the i-th of many client addresses, each its own network.
func rotating(i int) usecase.Client {
	return usecase.Client{IP: netip.AddrFrom4([4]byte{198, 18, byte(i / 250), byte(1 + i%250)})}
}

func TestAccountBudgetHoldsAcrossRotatingAddresses(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	owner, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home})
	if err != nil || owner.Device == "" {
		t.Fatalf("Login(alice) = device %q, %v, want a device proof", owner.Device, err)
	}
	const attempts = 25
	budget := testThrottlePolicy.AccountMaxFailures
	for i := range attempts {
		_, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wrong password!", Client: rotating(i)})
		switch {
		case i < budget && !errors.Is(err, domain.ErrInvalidCredentials):
			t.Fatalf("unknown device %d (of %d, budget %d) error = %v, want %v", i+1, attempts, budget, err, domain.ErrInvalidCredentials)
		case i >= budget && retryAfter(err) == 0:
			t.Errorf("unknown device %d (of %d, budget %d) error = %v, want throttled", i+1, attempts, budget, err)
		}
	}
	// Every unknown device is refused now, even with the right password,
	// from a network that never failed.
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: rotating(attempts)}); retryAfter(err) == 0 {
		t.Errorf("unknown device with the right password after the budget error = %v, want throttled", err)
	}
	// Other accounts are untouched.
	createUser(t, f, "bobby")
	bobProof := loginDevice(t, f, "bobby", rotating(attempts+1))
	tests := []struct {
		name   string
		device string
		wantOK bool
	}{
		{"the owner's device", owner.Device, true},
		{"a forged proof", owner.Device[:len(owner.Device)-2] + "xx", false},
		{"another account's proof", bobProof, false},
		{"no proof", "", false},
	}
	for _, tt := range tests {
		_, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: rotating(attempts + 2), Device: tt.device})
		if tt.wantOK && err != nil {
			t.Errorf("Login(alice) with %s after the budget error = %v, want nil", tt.name, err)
		}
		if !tt.wantOK && retryAfter(err) == 0 {
			t.Errorf("Login(alice) with %s after the budget error = %v, want throttled like any unknown device", tt.name, err)
		}
	}
}

// TestDeviceIsLockedByItsOwnFailures: a known device that fails
// MaxFailures times in a row is locked, and only it: another known device
// of the same account, from the same network, still gets in.
func TestDeviceIsLockedByItsOwnFailures(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	first := loginDevice(t, f, "alice", home)
	second := loginDevice(t, f, "alice", home)
	for i := range testThrottlePolicy.MaxFailures {
		if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wrong password!", Client: home, Device: first}); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("known device, wrong password #%d error = %v, want %v", i+1, err, domain.ErrInvalidCredentials)
		}
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home, Device: first}); retryAfter(err) != testThrottlePolicy.BaseDelay {
		t.Errorf("the device after %d failures error = %v, want throttled %v", testThrottlePolicy.MaxFailures, err, testThrottlePolicy.BaseDelay)
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home, Device: second}); err != nil {
		t.Errorf("another device of the account, same network, error = %v, want nil", err)
	}
}

// createUser adds an account whose password is "correct horse battery".
func createUser(t *testing.T, f *authFixture, name string) {
	t.Helper()
	_, err := f.users.Create(context.Background(), domain.User{Username: domain.RestoreUsername(name), PasswordHash: "v1:correct horse battery", Role: domain.RoleUser})
	if err != nil {
		t.Fatalf("Create(%q) error = %v", name, err)
	}
}

// loginDevice logs name in from c and returns the device proof issued.
func loginDevice(t *testing.T, f *authFixture, name string, c usecase.Client) string {
	t.Helper()
	res, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: name, Password: "correct horse battery", Client: c})
	if err != nil || res.Device == "" {
		t.Fatalf("Login(%q) = device %q, %v, want a device proof", name, res.Device, err)
	}
	return res.Device
}
