package usecase_test

import (
	"context"
	"net/netip"
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/usecase"
)

func TestHashingKeyOf(t *testing.T) {
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"no key", context.Background(), ""},
		{"a network", usecase.WithHashingKey(context.Background(), "192.0.2.1"), "192.0.2.1"},
		{"the innermost", usecase.WithHashingKey(usecase.WithHashingKey(context.Background(), "192.0.2.1"), "192.0.2.2"), "192.0.2.2"},
	}
	for _, tt := range tests {
		if got := usecase.HashingKeyOf(tt.ctx); got != tt.want {
			t.Errorf("HashingKeyOf(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestHashingIsKeyedByClientNetwork protects the fairness of the hashing
// pool: every hash a visitor's request asks for (login, a throttled login's
// decoy, signup, re-authentication and the new password's hash) and the
// saturation check before a login carry the client's allocation (an IPv4
// address, an IPv6 /48) as their hashing key, so the pool can cap what one
// network holds, and a site's 65536 /64s share one cap.
func TestHashingIsKeyedByClientNetwork(t *testing.T) {
	client := usecase.Client{IP: netip.MustParseAddr("2001:db8:1:2::5"), UserAgent: "test"}
	network := usecase.ClientAllocation(client.IP)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(f *accountFixture, p usecase.Principal)
	}{
		{"login", func(f *accountFixture, p usecase.Principal) {
			_, _ = f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: client})
		}},
		{"wrong password until throttled", func(f *accountFixture, p usecase.Principal) {
			for range testThrottlePolicy.MaxFailures + 1 {
				_, _ = f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wrong password!", Client: client})
			}
		}},
		{"signup", func(f *accountFixture, p usecase.Principal) {
			r := usecase.NewRegistrar(f.users, usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{}), usecase.NewThrottle(f.throttles, f.clock, testThrottlePolicy), f.events, f.clock, discard, nil)
			_, _ = r.Register(ctx, usecase.RegisterInput{Username: "bob", Password: "another good password", Client: client})
		}},
		{"change password", func(f *accountFixture, p usecase.Principal) {
			_, _, _ = f.account.ChangePassword(ctx, p, "correct horse battery", "a brand new passphrase", client)
		}},
		{"delete account", func(f *accountFixture, p usecase.Principal) {
			_ = f.account.Delete(ctx, p, "correct horse battery", client)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAccountFixture(t)
			p := f.loginAlice(t)
			f.hasher.keys = nil // the decoy at start and the setup's login
			tt.run(f, p)
			if len(f.hasher.keys) == 0 || slices.ContainsFunc(f.hasher.keys, func(k string) bool { return k != network }) {
				t.Errorf("%s from %s: hashing keys = %q, want all %q", tt.name, client.IP, f.hasher.keys, network)
			}
		})
	}
}
