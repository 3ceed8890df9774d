package usecase_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// A credential change (the owner's password change, an admin's or the
// operator's reset) ends every session started before it, including the
// session of a login that checked the old password while the change ran:
// the account's credential version moves on with the change, a session
// keeps the version it started under, and the stores refuse to store, and
// Resolve to accept, a session of an older version.

// TestLoginRacingAPasswordChangeGetsNoSession lands each credential
// change between a login's check of the old password and the creation of
// its session, the race a reviewer won three times in three tries over
// the API: the login must end without a session, with a wrong password's
// answer, recorded as refused because the credentials changed.
func TestLoginRacingAPasswordChangeGetsNoSession(t *testing.T) {
	const newPassword = "a brand new passphrase"
	tests := []struct {
		name string
		// change changes alice's password; p is her signed-in session.
		change func(ctx context.Context, f *adminFixture, p usecase.Principal) error
		// wantSessions is how many sessions alice has afterwards: the
		// changer's own new one, or none.
		wantSessions int
	}{
		{"owner changes the password", func(ctx context.Context, f *adminFixture, p usecase.Principal) error {
			_, _, err := f.account.ChangePassword(ctx, p, "correct horse battery", newPassword, home)
			return err
		}, 1},
		{"admin resets the password", func(ctx context.Context, f *adminFixture, _ usecase.Principal) error {
			boss, err := f.admin.Create(ctx, usecase.Operator, "boss", "the chief's passphrase", domain.RoleAdmin, home)
			if err != nil {
				return err
			}
			return f.admin.SetPassword(ctx, usecase.Actor{User: boss}, f.user.ID, newPassword, home)
		}, 0},
		{"operator resets the password (gatehouse user passwd)", func(ctx context.Context, f *adminFixture, _ usecase.Principal) error {
			return f.admin.SetPassword(ctx, usecase.Operator, f.user.ID, newPassword, usecase.Client{})
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newAdminFixture(t)
			ctx := context.Background()
			p := f.loginAlice(t)
			hasher := &racingHasher{fakeHasher: f.hasher}
			auth, err := usecase.NewAuthenticator(f.users, hasher, f.manager, usecase.NewThrottle(f.throttles, f.clock, testThrottlePolicy), testDevices, usecase.NewLoginChallenges(f.totp, f.challenges, &seqTokens{n: 150}, f.clock), f.events, &seqTokens{n: 250}, f.clock, discard)
			if err != nil {
				t.Fatalf("NewAuthenticator() error = %v", err)
			}
			// The account is read with the old hash; the change lands
			// before the old password is verified against it.
			hasher.during = func() {
				if err := tt.change(ctx, f, p); err != nil {
					t.Errorf("%s during the login: error = %v", tt.name, err)
				}
			}
			before := len(f.events.history(t, f.user.ID))

			res, err := auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery", Remember: true, Client: home})
			if !errors.Is(err, domain.ErrInvalidCredentials) || res.Token != "" {
				t.Errorf("Login(old password) racing %q = token %v, error %v; want no token, %v", tt.name, res.Token != "", err, domain.ErrInvalidCredentials)
			}
			list, err := f.manager.List(ctx, f.user.ID)
			if err != nil || len(list) != tt.wantSessions {
				t.Fatalf("alice's sessions after the racing login = %d, %v; want %d", len(list), err, tt.wantSessions)
			}
			u, err := f.users.ByID(ctx, f.user.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range list {
				if s.CredentialVersion != u.CredentialVersion {
					t.Errorf("session %d after %s has credential version %d, want the account's %d", s.ID, tt.name, s.CredentialVersion, u.CredentialVersion)
				}
			}
			var racing []string
			for _, e := range f.events.history(t, f.user.ID)[before:] {
				if e.Kind == domain.EventLoginSuccess || e.Kind == domain.EventLoginFailure {
					racing = append(racing, string(e.Kind)+":"+e.Detail)
				}
			}
			if want := []string{"login_failure:" + domain.FailureCredentialsChanged}; !slices.Equal(racing, want) {
				t.Errorf("login events of the racing login = %q, want %q", racing, want)
			}
		})
	}
}

// TestResolveRefusesASessionFromBeforeAPasswordChange: a session that a
// password change did not delete (its login raced the change past the
// store's check) stops counting all the same, and is deleted when
// presented; a session started under the new version counts.
func TestResolveRefusesASessionFromBeforeAPasswordChange(t *testing.T) {
	f := newSessionFixture(t)
	ctx := context.Background()
	old, _, err := f.manager.Start(ctx, f.user, true, home, domain.PreviousLogin{})
	if err != nil {
		t.Fatalf("Start() error = %v", err)
	}
	// The store alone: the use cases would also revoke the sessions.
	version, err := f.users.SetPassword(ctx, f.user.ID, "v1:a brand new passphrase", false)
	if err != nil {
		t.Fatalf("SetPassword() error = %v", err)
	}
	if _, err := f.manager.Resolve(ctx, old); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve(session from before the change) error = %v, want %v", err, domain.ErrUnauthenticated)
	}
	if n := f.sessions.count(t); n != 0 {
		t.Errorf("sessions after Resolve refused the old one = %d, want 0: it is deleted", n)
	}
	renewed := f.user
	renewed.CredentialVersion = version
	current, _, err := f.manager.Start(ctx, renewed, true, home, domain.PreviousLogin{})
	if err != nil {
		t.Fatalf("Start(new version) error = %v", err)
	}
	if p, err := f.manager.Resolve(ctx, current); err != nil || p.Session.CredentialVersion != version {
		t.Errorf("Resolve(session of the new version) = version %d, %v; want %d, nil", p.Session.CredentialVersion, err, version)
	}
}

// TestStartRefusesAnOlderCredentialVersion: a session is never stored
// under credentials already replaced, nor the events that came with it.
func TestStartRefusesAnOlderCredentialVersion(t *testing.T) {
	f := newSessionFixture(t)
	ctx := context.Background()
	if _, err := f.users.SetPassword(ctx, f.user.ID, "v1:a brand new passphrase", false); err != nil {
		t.Fatalf("SetPassword() error = %v", err)
	}
	login := domain.SecurityEvent{Kind: domain.EventLoginSuccess, UserID: f.user.ID, At: f.clock.Now()}
	token, _, err := f.manager.Start(ctx, f.user, true, home, domain.PreviousLogin{}, login)
	if !errors.Is(err, domain.ErrCredentialsChanged) || token != "" {
		t.Errorf("Start(version %d, older than the account's) = token %v, %v; want none, %v", f.user.CredentialVersion, token != "", err, domain.ErrCredentialsChanged)
	}
	if n, kinds := f.sessions.count(t), f.events.kinds(t, f.user.ID); n != 0 || len(kinds) != 0 {
		t.Errorf("after the refused Start: %d sessions, events %q; want none", n, kinds)
	}
}

// TestChangePasswordSessionHoldsTheNewVersion: the changer's new session
// is started under the version the change set, so it counts, and the
// session it replaces does not.
func TestChangePasswordSessionHoldsTheNewVersion(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	token, s, err := f.account.ChangePassword(ctx, p, "correct horse battery", "a brand new passphrase", home)
	if err != nil {
		t.Fatalf("ChangePassword() error = %v", err)
	}
	u, err := f.users.ByID(ctx, f.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.CredentialVersion != p.User.CredentialVersion+1 || s.CredentialVersion != u.CredentialVersion {
		t.Errorf("after ChangePassword: account version %d, new session's %d; want both %d", u.CredentialVersion, s.CredentialVersion, p.User.CredentialVersion+1)
	}
	if got, err := f.manager.Resolve(ctx, token); err != nil || got.Session.ID != s.ID {
		t.Errorf("Resolve(the changer's new token) = session %d, %v; want %d, nil", got.Session.ID, err, s.ID)
	}
}
