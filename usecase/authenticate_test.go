package usecase_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

type authFixture struct {
	*sessionFixture
	hasher   *fakeHasher
	throttle *usecase.Throttle
	auth     *usecase.Authenticator
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	f := newSessionFixture(t)
	hasher := &fakeHasher{version: "v1"}
	throttle := newTestThrottle(f.throttles, f.clock)
	auth, err := usecase.NewAuthenticator(f.users, hasher, f.manager, throttle, testDevices, usecase.NewLoginChallenges(f.totp, f.challenges, &seqTokens{n: 150}, f.clock), f.events, &seqTokens{n: 200}, f.clock, discard)
	if err != nil {
		t.Fatalf("NewAuthenticator() error = %v", err)
	}
	version, err := f.users.SetPassword(context.Background(), f.user.ID, "v1:correct horse battery", false)
	if err != nil {
		t.Fatal(err)
	}
	f.user.PasswordHash, f.user.CredentialVersion = "v1:correct horse battery", version
	return &authFixture{sessionFixture: f, hasher: hasher, throttle: throttle, auth: auth}
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name, username, password string
		wantErr                  error
	}{
		{"right", "alice", "correct horse battery", nil},
		{"right, other case", "ALICE", "correct horse battery", nil},
		{"wrong password", "alice", "incorrect horse battery", domain.ErrInvalidCredentials},
		{"unknown user", "mallory", "correct horse battery", domain.ErrInvalidCredentials},
		{"invalid username", "a b", "correct horse battery", domain.ErrInvalidCredentials},
		{"empty", "", "", domain.ErrInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAuthFixture(t)
			before := f.hasher.verifies
			res, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: tt.username, Password: tt.password})
			if f.hasher.verifies != before+1 {
				t.Errorf("Login(%q) ran %d verifications, want exactly 1 whatever the outcome", tt.username, f.hasher.verifies-before)
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Login(%q, %q) error = %v, want %v", tt.username, tt.password, err, tt.wantErr)
				}
				if n := f.sessions.count(t); n != 0 {
					t.Errorf("Login failed but %d sessions exist, want 0", n)
				}
				return
			}
			if err != nil {
				t.Fatalf("Login(%q) error = %v, want nil", tt.username, err)
			}
			if res.User.ID != f.user.ID || res.Session.TokenHash != res.Token.Hash() {
				t.Errorf("Login(%q) = %+v, want alice with a session for the returned token", tt.username, res)
			}
		})
	}
}

func TestLoginReplacesThePreviousSession(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	first, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Previous: first.Token})
	if err != nil {
		t.Fatal(err)
	}
	if second.Token == first.Token {
		t.Errorf("second login reused token, want a new one")
	}
	if _, err := f.manager.Resolve(ctx, first.Token); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve(previous token) error = %v, want %v", err, domain.ErrUnauthenticated)
	}
	if _, err := f.manager.Resolve(ctx, second.Token); err != nil {
		t.Errorf("Resolve(new token) error = %v, want nil", err)
	}
}

func TestLoginRehashesOutdatedHashes(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	f.hasher.version = "v2" // the parameters changed since the hash was made
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	u, _ := f.users.ByID(ctx, f.user.ID)
	if u.PasswordHash != "v2:correct horse battery" {
		t.Errorf("hash after login = %q, want it re-made with current parameters", u.PasswordHash)
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wrong password!!"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login(wrong) after rehash error = %v, want %v", err, domain.ErrInvalidCredentials)
	}
	if u2, _ := f.users.ByID(ctx, f.user.ID); u2.PasswordHash != u.PasswordHash {
		t.Errorf("failed login changed the hash to %q", u2.PasswordHash)
	}
}

// racingHasher is a fakeHasher that runs during, once, inside the next
// Verify: something that happens between a login's check of the password
// and what the login does next.
type racingHasher struct {
	*fakeHasher
	during func()
}

func (h *racingHasher) Verify(ctx context.Context, p domain.Password, encoded string) (bool, bool, error) {
	if during := h.during; during != nil {
		h.during = nil
		during()
	}
	return h.fakeHasher.Verify(ctx, p, encoded)
}

// TestLoginRehashKeepsAPasswordChangedDuringTheLogin: a login with the old
// password verifies the old hash, which needs a rehash (the parameters
// changed); before it rehashes, the password changes. The rehash must
// not write the old password back: afterwards the new password works and
// the old one does not. The racing login itself gets no session (see
// TestLoginRacingAPasswordChangeGetsNoSession).
func TestLoginRehashKeepsAPasswordChangedDuringTheLogin(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	f.hasher.version = "v2" // alice's v1 hash is outdated
	hasher := &racingHasher{fakeHasher: f.hasher}
	throttle := newTestThrottle(f.throttles, f.clock)
	auth, err := usecase.NewAuthenticator(f.users, hasher, f.manager, throttle, testDevices, usecase.NewLoginChallenges(f.totp, f.challenges, &seqTokens{n: 150}, f.clock), f.events, &seqTokens{n: 200}, f.clock, discard)
	if err != nil {
		t.Fatalf("NewAuthenticator() error = %v", err)
	}
	const newHash = "v2:a brand new passphrase"
	hasher.during = func() {
		if _, err := f.users.SetPassword(ctx, f.user.ID, newHash, false); err != nil {
			t.Errorf("SetPassword() during the login error = %v", err)
		}
	}
	if _, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Fatalf("Login(old password, verified before the change) error = %v, want %v: the password changed before its session", err, domain.ErrInvalidCredentials)
	}
	if u, err := f.users.ByID(ctx, f.user.ID); err != nil || u.PasswordHash != newHash {
		t.Errorf("hash after the racing login = %q, %v, want the new password's %q", u.PasswordHash, err, newHash)
	}
	if _, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "a brand new passphrase"}); err != nil {
		t.Errorf("Login(new password) after the racing login error = %v, want nil", err)
	}
	if _, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login(old password) after the change error = %v, want %v", err, domain.ErrInvalidCredentials)
	}
}

func TestLoginStoreFailureIsNotInvalidCredentials(t *testing.T) {
	f := newAuthFixture(t)
	f.users.err = domain.ErrUnavailable
	_, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "correct horse battery"})
	if !errors.Is(err, domain.ErrUnavailable) || errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login with a failing store error = %v, want %v only", err, domain.ErrUnavailable)
	}
}

// TestLoginRefusedAtOnceWhenHashingIsSaturated protects pages during a
// login flood: a login the hashing pool would refuse anyway is refused
// before any read (throttle, account) or hash, for every name alike, and
// its answer is held for the refusal hold.
func TestLoginRefusedAtOnceWhenHashingIsSaturated(t *testing.T) {
	const hold = 30 * time.Millisecond
	for _, name := range []string{"alice", "mallory"} {
		f := newAuthFixture(t)
		f.auth.SetRefusalHold(hold)
		f.hasher.saturated = true
		f.users.err = errors.New("the account store must not be read")
		f.throttles.err = errors.New("the throttle store must not be read")
		start := time.Now()
		_, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: name, Password: "correct horse battery"})
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("Login(%q) while saturated error = %v, want ErrUnavailable", name, err)
		}
		// Held, so that a flood's clients cannot resend at once.
		if took := time.Since(start); took < hold {
			t.Errorf("Login(%q) while saturated answered after %v, want held %v", name, took, hold)
		}
		if n := f.sessions.count(t); f.hasher.verifies != 0 || n != 0 {
			t.Errorf("Login(%q) while saturated ran %d verifications and made %d sessions, want none", name, f.hasher.verifies, n)
		}
	}
}

// A successful login's session and its login_success event are one
// store call (one commit), not a session and then an event; and a session
// that cannot be stored leaves no success event behind.
func TestLoginStoresItsEventWithTheSession(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"}); err != nil {
		t.Fatalf("Login() error = %v", err)
	}
	if want := [][]domain.EventKind{{domain.EventLoginSuccess}}; !slices.EqualFunc(f.sessions.created, want, slices.Equal) {
		t.Errorf("sessions created with events %v, want %v", f.sessions.created, want)
	}
	if n := f.countKind(t, domain.EventLoginSuccess); n != 1 {
		t.Errorf("%d login_success events, want 1", n)
	}

	f.sessions.err = errors.New("disk I/O error")
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"}); err == nil {
		t.Fatal("Login() with a failing session store: error = nil")
	}
	if n := f.countKind(t, domain.EventLoginSuccess); n != 1 {
		t.Errorf("%d login_success events after a login whose session failed, want still 1", n)
	}
}

// countKind returns how many events of kind the history holds about alice.
func (f *authFixture) countKind(t *testing.T, kind domain.EventKind) int {
	t.Helper()
	n := 0
	for _, k := range f.events.kinds(t, f.user.ID) {
		if k == kind {
			n++
		}
	}
	return n
}
