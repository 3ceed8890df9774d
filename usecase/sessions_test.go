package usecase_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var testPolicy = usecase.SessionPolicy{
	IdleTimeout:     30 * time.Minute,
	AbsoluteTimeout: 12 * time.Hour,
	RememberFor:     720 * time.Hour,
	TouchInterval:   time.Minute,
}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// sessionFixture is alice's account on the real stores, and a
// SessionManager on them.
type sessionFixture struct {
	stores
	clock   *fakeClock
	manager *usecase.SessionManager
	user    domain.User
}

func newSessionFixture(t *testing.T) *sessionFixture {
	t.Helper()
	f := &sessionFixture{
		stores: newStores(t),
		clock:  &fakeClock{now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)},
	}
	f.manager = usecase.NewSessionManager(f.sessions, &seqTokens{}, f.clock, testPolicy, discard)
	var err error
	f.user, err = f.users.Create(context.Background(), domain.User{Username: domain.RestoreUsername("alice"), PasswordHash: "v1:x", Role: domain.RoleUser})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSessionStartStoresOnlyTheHash(t *testing.T) {
	f := newSessionFixture(t)
	token, s, err := f.manager.Start(context.Background(), f.user, false, usecase.Client{}, domain.PreviousLogin{})
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	if s.TokenHash != token.Hash() {
		t.Errorf("stored TokenHash = %x, want SHA-256 of the token", s.TokenHash)
	}
	if want := f.clock.now.Add(testPolicy.IdleTimeout); !s.ExpiresAt.Equal(want) {
		t.Errorf("browser session ExpiresAt = %v, want now+idle %v", s.ExpiresAt, want)
	}
	if want := f.clock.now.Add(testPolicy.AbsoluteTimeout); !s.AbsoluteExpiresAt.Equal(want) {
		t.Errorf("browser session AbsoluteExpiresAt = %v, want now+absolute %v", s.AbsoluteExpiresAt, want)
	}
	_, remembered, err := f.manager.Start(context.Background(), f.user, true, usecase.Client{}, domain.PreviousLogin{})
	if err != nil {
		t.Fatalf("Start(remember) error = %v", err)
	}
	if want := f.clock.now.Add(testPolicy.RememberFor); !remembered.Persistent || !remembered.ExpiresAt.Equal(want) {
		t.Errorf("remembered session = %+v, want persistent until now+%v", remembered, testPolicy.RememberFor)
	}
}

func TestSessionResolveLifetimes(t *testing.T) {
	tests := []struct {
		name       string
		persistent bool
		steps      []time.Duration // waits between requests, each followed by Resolve
		wantActive bool            // after the last step
	}{
		{"fresh", false, []time.Duration{0}, true},
		{"idle just under the limit", false, []time.Duration{29 * time.Minute}, true},
		{"idle past the limit", false, []time.Duration{31 * time.Minute}, false},
		{"activity slides the idle deadline", false, []time.Duration{20 * time.Minute, 20 * time.Minute, 20 * time.Minute}, true},
		{"absolute limit despite activity", false, repeat(25*time.Minute, 29), false}, // 12h05m of activity
		{"remembered survives a day idle", true, []time.Duration{24 * time.Hour}, true},
		{"remembered ends after its lifetime", true, []time.Duration{721 * time.Hour}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSessionFixture(t)
			ctx := context.Background()
			token, _, err := f.manager.Start(ctx, f.user, tt.persistent, usecase.Client{}, domain.PreviousLogin{})
			if err != nil {
				t.Fatal(err)
			}
			var p usecase.Principal
			for _, d := range tt.steps {
				f.clock.Advance(d)
				p, err = f.manager.Resolve(ctx, token)
			}
			if tt.wantActive {
				if err != nil || p.User.ID != f.user.ID {
					t.Errorf("Resolve() = %+v, %v; want user %d", p.User, err, f.user.ID)
				}
				return
			}
			if !errors.Is(err, domain.ErrUnauthenticated) {
				t.Errorf("Resolve() error = %v, want %v", err, domain.ErrUnauthenticated)
			}
			if n := f.sessions.count(t); n != 0 {
				t.Errorf("expired session still stored (%d rows), want it deleted on sight", n)
			}
		})
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestSessionResolveWritesAtMostOncePerInterval(t *testing.T) {
	f := newSessionFixture(t)
	ctx := context.Background()
	token, _, err := f.manager.Start(ctx, f.user, false, usecase.Client{}, domain.PreviousLogin{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		f.clock.Advance(5 * time.Second)
		if _, err := f.manager.Resolve(ctx, token); err != nil {
			t.Fatalf("Resolve() error = %v", err)
		}
	}
	// 50 s elapsed: no write yet. At 60 s exactly one.
	if f.sessions.touches != 0 {
		t.Errorf("touches after 50s = %d, want 0", f.sessions.touches)
	}
	f.clock.Advance(10 * time.Second)
	if _, err := f.manager.Resolve(ctx, token); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	if _, err := f.manager.Resolve(ctx, token); err != nil {
		t.Fatal(err)
	}
	if f.sessions.touches != 1 {
		t.Errorf("touches after 61s = %d, want 1", f.sessions.touches)
	}
}

func TestSessionResolveUnknownAndRevoked(t *testing.T) {
	f := newSessionFixture(t)
	ctx := context.Background()
	var other [domain.TokenBytes]byte
	other[5] = 9
	if _, err := f.manager.Resolve(ctx, domain.NewToken(other)); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve(unknown) error = %v, want %v", err, domain.ErrUnauthenticated)
	}
	token, _, err := f.manager.Start(ctx, f.user, true, usecase.Client{}, domain.PreviousLogin{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.manager.Revoke(ctx, token); err != nil {
		t.Fatalf("Revoke() error = %v", err)
	}
	if _, err := f.manager.Resolve(ctx, token); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve(revoked) error = %v, want %v", err, domain.ErrUnauthenticated)
	}
	if err := f.manager.Revoke(ctx, token); err != nil {
		t.Errorf("Revoke(already revoked) error = %v, want nil", err)
	}
}

func TestSessionResolveStoreFailure(t *testing.T) {
	f := newSessionFixture(t)
	token, _, err := f.manager.Start(context.Background(), f.user, false, usecase.Client{}, domain.PreviousLogin{})
	if err != nil {
		t.Fatal(err)
	}
	f.sessions.err = domain.ErrUnavailable
	if _, err := f.manager.Resolve(context.Background(), token); !errors.Is(err, domain.ErrUnavailable) || errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve() with a failing store error = %v, want %v (not a logout)", err, domain.ErrUnavailable)
	}
}

func TestSessionPurge(t *testing.T) {
	f := newSessionFixture(t)
	ctx := context.Background()
	for _, persistent := range []bool{false, false, true} {
		if _, _, err := f.manager.Start(ctx, f.user, persistent, usecase.Client{}, domain.PreviousLogin{}); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(time.Hour)
	n, err := f.manager.Purge(ctx)
	if err != nil || n != 2 {
		t.Errorf("Purge() = %d, %v; want 2 idle sessions removed", n, err)
	}
	if n := f.sessions.count(t); n != 1 {
		t.Errorf("sessions left = %d, want the remembered one", n)
	}
}

func TestSessionResolveTouchFailures(t *testing.T) {
	tests := []struct {
		touchErr error
		wantErr  error
	}{
		{domain.ErrNotFound, domain.ErrUnauthenticated}, // revoked between read and write
		{domain.ErrUnavailable, nil},                    // a busy database does not log the user out
	}
	for _, tt := range tests {
		f := newSessionFixture(t)
		ctx := context.Background()
		token, _, err := f.manager.Start(ctx, f.user, false, usecase.Client{}, domain.PreviousLogin{})
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(2 * time.Minute)
		f.sessions.touchErr = tt.touchErr
		_, err = f.manager.Resolve(ctx, token)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
			t.Errorf("Resolve() with Touch failing %v: error = %v, want %v", tt.touchErr, err, tt.wantErr)
		}
	}
}
