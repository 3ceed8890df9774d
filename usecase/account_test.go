package usecase_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

type accountFixture struct {
	*authFixture
	account *usecase.Account
}

func newAccountFixture(t *testing.T) *accountFixture {
	t.Helper()
	f := newAuthFixture(t)
	policy := usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{"password1234": true})
	return &accountFixture{authFixture: f, account: usecase.NewAccount(f.users, f.manager, policy, f.throttle, f.events, f.clock, discard)}
}

var home = usecase.Client{IP: netip.MustParseAddr("192.0.2.10"), UserAgent: "test"}

// loginAlice logs alice in and returns her principal.
func (f *accountFixture) loginAlice(t *testing.T) usecase.Principal {
	t.Helper()
	res, err := f.auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "correct horse battery", Client: home})
	if err != nil {
		t.Fatalf("Login(alice) error = %v", err)
	}
	return usecase.Principal{User: res.User, Session: res.Session}
}

func TestChangePassword(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	f.loginAlice(t) // another device

	tests := []struct {
		current, next string
		wantInput     usecase.Input
	}{
		{"wrong password!", "a brand new passphrase", usecase.InputCurrentPassword},
		{"", "a brand new passphrase", usecase.InputCurrentPassword},
		{"correct horse battery", "short", usecase.InputNewPassword},
		{"correct horse battery", "password1234", usecase.InputNewPassword},
		{"correct horse battery", "alice-in-wonderland", usecase.InputNewPassword},
	}
	for _, tt := range tests {
		_, _, err := f.account.ChangePassword(ctx, p, tt.current, tt.next, home)
		var invalid *usecase.InvalidInputError
		if !errors.As(err, &invalid) || invalid.Fields[tt.wantInput] == "" || len(invalid.Fields) != 1 {
			t.Errorf("ChangePassword(%q, %q) error = %v, want a message on %s alone", tt.current, tt.next, err, tt.wantInput)
		}
	}

	token, s, err := f.account.ChangePassword(ctx, p, "correct horse battery", "a brand new passphrase", home)
	if err != nil {
		t.Fatalf("ChangePassword() error = %v", err)
	}
	if s.ID == p.Session.ID || s.TokenHash != token.Hash() {
		t.Errorf("ChangePassword kept session %d, want a new session for the returned token", p.Session.ID)
	}
	if n := f.sessions.count(t); n != 1 {
		t.Errorf("sessions after a password change = %d, want only the new one", n)
	}
	if err := f.try("192.0.2.10", "correct horse battery"); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login(old password) after the change: %v, want invalid credentials", err)
	}
	if err := f.try("192.0.2.10", "a brand new passphrase"); err != nil {
		t.Errorf("Login(new password) after the change: %v", err)
	}
	if kinds := f.events.kinds(t, f.user.ID); !slices.Contains(kinds, domain.EventPasswordChange) {
		t.Errorf("events = %v, want a password change", kinds)
	}
}

// TestReauthenticationIsThrottledLikeALogin: the current password asked
// to change the password or delete the account is reserved like a login
// of the account from the client, so the 6th wrong one in a row is
// refused without being checked, even when right, for both steps; each
// failure and refusal is in the account's history.
func TestReauthenticationIsThrottledLikeALogin(t *testing.T) {
	steps := map[string]func(f *accountFixture, p usecase.Principal, password string) error{
		"change password": func(f *accountFixture, p usecase.Principal, password string) error {
			_, _, err := f.account.ChangePassword(context.Background(), p, password, "a brand new passphrase", home)
			return err
		},
		"delete account": func(f *accountFixture, p usecase.Principal, password string) error {
			return f.account.Delete(context.Background(), p, password, home)
		},
	}
	for name, step := range steps {
		t.Run(name, func(t *testing.T) {
			f := newAccountFixture(t)
			p := f.loginAlice(t)
			for i := range testThrottlePolicy.MaxFailures {
				var invalid *usecase.InvalidInputError
				if err := step(f, p, "wrong password!"); !errors.As(err, &invalid) {
					t.Fatalf("%s with wrong current password #%d error = %v, want invalid input", name, i+1, err)
				}
			}
			before := f.hasher.verifies
			err := step(f, p, "correct horse battery")
			if got := retryAfter(err); got != testThrottlePolicy.BaseDelay {
				t.Errorf("%s with the right password after %d wrong ones error = %v, want throttled %v", name, testThrottlePolicy.MaxFailures, err, testThrottlePolicy.BaseDelay)
			}
			if f.hasher.verifies != before {
				t.Errorf("%s while throttled verified %d passwords, want none", name, f.hasher.verifies-before)
			}
			var failures, refusals int
			for _, e := range f.events.history(t, f.user.ID) {
				if e.Kind != domain.EventReauthFailure {
					continue
				}
				switch e.Detail {
				case domain.FailureBadPassword:
					failures++
				case domain.FailureThrottled:
					refusals++
				}
			}
			if failures != testThrottlePolicy.MaxFailures || refusals != 1 {
				t.Errorf("%s: history holds %d %s (%s) and %d (%s), want %d and 1", name, failures, domain.EventReauthFailure,
					domain.FailureBadPassword, refusals, domain.FailureThrottled, testThrottlePolicy.MaxFailures)
			}
			// A login from the same client shares the counter.
			if err := f.try(home.IP.String(), "correct horse battery"); retryAfter(err) == 0 {
				t.Errorf("Login from the client after %d wrong current passwords error = %v, want throttled", testThrottlePolicy.MaxFailures, err)
			}
			f.clock.Advance(testThrottlePolicy.BaseDelay)
			if err := step(f, p, "correct horse battery"); err != nil {
				t.Errorf("%s with the right password after the lock error = %v, want nil", name, err)
			}
		})
	}
}

func TestRevokeSessions(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	second := f.loginAlice(t)
	f.loginAlice(t) // a third device

	list, err := f.account.Sessions(ctx, p)
	if err != nil || len(list) != 3 || list[0].IP != "192.0.2.10" {
		t.Fatalf("Sessions() = %+v, %v; want 3 with the client's IP", list, err)
	}
	if err := f.account.RevokeSession(ctx, p, p.Session.ID, home); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("RevokeSession(current) error = %v, want ErrNotFound (use logout)", err)
	}
	if err := f.account.RevokeSession(ctx, p, 9999, home); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("RevokeSession(someone else's) error = %v, want ErrNotFound", err)
	}
	if err := f.account.RevokeSession(ctx, p, second.Session.ID, home); err != nil {
		t.Fatalf("RevokeSession(second) error = %v", err)
	}
	if n, err := f.account.RevokeOtherSessions(ctx, p, home); err != nil || n != 1 {
		t.Errorf("RevokeOtherSessions() = %d, %v; want the third one", n, err)
	}
	if list, _ := f.account.Sessions(ctx, p); len(list) != 1 || list[0].ID != p.Session.ID {
		t.Errorf("sessions left = %+v, want only the current one", list)
	}
}

func TestPreviousLoginAndActivity(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	first := f.loginAlice(t)
	if _, ok, err := f.account.PreviousLogin(ctx, first); ok || err != nil {
		t.Errorf("PreviousLogin after the first login = %v, %v; want none", ok, err)
	}
	f.clock.Advance(time.Hour)
	f.try("198.51.100.3", "wrong password!")
	p := f.loginAlice(t)
	prev, ok, err := f.account.PreviousLogin(ctx, p)
	if err != nil || !ok || prev.IP != "192.0.2.10" || !prev.At.Equal(f.clock.now.Add(-time.Hour)) {
		t.Errorf("PreviousLogin() = %+v, %v, %v; want the first login", prev, ok, err)
	}
	list, err := f.account.RecentActivity(ctx, p)
	want := []domain.EventKind{domain.EventLoginSuccess, domain.EventLoginFailure, domain.EventLoginSuccess}
	var got []domain.EventKind
	for _, e := range list {
		got = append(got, e.Kind)
	}
	if err != nil || !slices.Equal(got, want) || list[1].Detail != domain.FailureBadPassword {
		t.Errorf("RecentActivity() = %v, %v; want %v (newest first) with the failure's reason", got, err, want)
	}
}

// TestPreviousLoginStaysWithTheSession logs in from three devices an hour
// apart: each session shows the login before its own for as long as it
// lasts, later logins elsewhere notwithstanding, and reads no history to
// do so.
func TestPreviousLoginStaysWithTheSession(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	first := f.loginAlice(t)
	f.clock.Advance(time.Hour)
	second := f.loginAlice(t)
	f.clock.Advance(time.Hour)
	third := f.loginAlice(t)

	reads := f.events.reads
	tests := []struct {
		name   string
		p      usecase.Principal
		wantOK bool
		wantAt time.Time
	}{
		{"first", first, false, time.Time{}},
		{"second", second, true, first.Session.CreatedAt},
		{"third", third, true, second.Session.CreatedAt},
	}
	for _, tt := range tests {
		prev, ok, err := f.account.PreviousLogin(ctx, tt.p)
		if err != nil || ok != tt.wantOK || !prev.At.Equal(tt.wantAt) || (ok && prev.IP != "192.0.2.10") {
			t.Errorf("PreviousLogin(%s session) = %+v, %v, %v; want ok %v, at %v from 192.0.2.10", tt.name, prev, ok, err, tt.wantOK, tt.wantAt)
		}
	}
	if n := f.events.reads - reads; n != 0 {
		t.Errorf("PreviousLogin read the history %d times, want none: the session keeps its previous login", n)
	}
}

// TestPreviousLoginOfAnOlderSession covers sessions stored before sessions
// kept their previous login: theirs comes from the history, as the login
// before the account's latest.
func TestPreviousLoginOfAnOlderSession(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	older := f.loginAlice(t)
	older.Session.PreviousLogin = domain.PreviousLogin{}
	if _, ok, err := f.account.PreviousLogin(ctx, older); ok || err != nil {
		t.Errorf("PreviousLogin(older session, one login) = %v, %v; want none", ok, err)
	}
	f.clock.Advance(time.Hour)
	f.loginAlice(t)
	prev, ok, err := f.account.PreviousLogin(ctx, older)
	if err != nil || !ok || !prev.At.Equal(older.Session.CreatedAt) || prev.IP != "192.0.2.10" {
		t.Errorf("PreviousLogin(older session, two logins) = %+v, %v, %v; want the first login", prev, ok, err)
	}
}

// TestLoginWithAnUnreadableHistory shows that a history that cannot be
// read does not stop a login: the session does not know its previous
// login and looks it up when asked, and a password change carries what a
// session knows over to the session that replaces it.
func TestLoginWithAnUnreadableHistory(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	first := f.loginAlice(t)
	f.clock.Advance(time.Hour)
	f.events.readErr = domain.ErrUnavailable
	p := f.loginAlice(t)
	if p.Session.PreviousLogin.Known {
		t.Errorf("session started while the history failed: PreviousLogin = %+v, want it unknown", p.Session.PreviousLogin)
	}
	if _, _, err := f.account.PreviousLogin(ctx, p); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("PreviousLogin() while the history fails: error = %v, want %v", err, domain.ErrUnavailable)
	}
	f.events.readErr = nil
	prev, ok, err := f.account.PreviousLogin(ctx, p)
	if err != nil || !ok || !prev.At.Equal(first.Session.CreatedAt) {
		t.Errorf("PreviousLogin() once the history answers = %+v, %v, %v; want the first login", prev, ok, err)
	}

	f.clock.Advance(time.Hour)
	third := f.loginAlice(t)
	_, renewed, err := f.account.ChangePassword(ctx, third, "correct horse battery", "a brand new passphrase", home)
	if err != nil {
		t.Fatalf("ChangePassword() error = %v", err)
	}
	if renewed.PreviousLogin != third.Session.PreviousLogin {
		t.Errorf("session after a password change: PreviousLogin = %+v, want the replaced session's %+v", renewed.PreviousLogin, third.Session.PreviousLogin)
	}
}

// TestLoginStoresNoNameForUnknownNames: a failure for a name that matches
// no account is recorded (the same write as for an account), but about no
// account (ID 0), never wrongly about alice, the one account there is, and
// nowhere with the name, which may be a password typed into the wrong
// field.
func TestLoginStoresNoNameForUnknownNames(t *testing.T) {
	f := newAuthFixture(t)
	const typed = "hunter2hunter2"
	f.auth.Login(context.Background(), usecase.LoginInput{Username: typed, Password: "x"})
	if kinds := f.events.kinds(t, f.user.ID); len(kinds) != 0 {
		t.Errorf("events about alice after a failure for an unknown name = %v, want none", kinds)
	}
	orphans := f.events.history(t, 0)
	if len(orphans) != 1 || orphans[0].Kind != domain.EventLoginFailure {
		t.Errorf("events about no account after a failure for an unknown name = %+v, want one %s", orphans, domain.EventLoginFailure)
	}
	for _, e := range orphans {
		if strings.Contains(fmt.Sprintf("%+v", e), typed) {
			t.Errorf("event %+v holds the name typed, %q (the name may be a password)", e, typed)
		}
	}
}

func TestDisabledAccountCannotLogIn(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	res, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	f.users.SetDisabled(ctx, f.user.ID, true)
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "correct horse battery"}); !errors.Is(err, domain.ErrAccountDisabled) {
		t.Errorf("Login(disabled, right password) error = %v, want %v", err, domain.ErrAccountDisabled)
	}
	if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: "alice", Password: "wrong password!"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login(disabled, wrong password) error = %v, want invalid credentials (nothing revealed)", err)
	}
	if _, err := f.manager.Resolve(ctx, res.Token); !errors.Is(err, domain.ErrUnauthenticated) {
		t.Errorf("Resolve(session of a disabled user) error = %v, want unauthenticated", err)
	}
}

func TestDeleteAccount(t *testing.T) {
	f := newAccountFixture(t)
	ctx := context.Background()
	p := f.loginAlice(t)
	var invalid *usecase.InvalidInputError
	if err := f.account.Delete(ctx, p, "wrong password!", home); !errors.As(err, &invalid) || invalid.Fields[usecase.InputPassword] == "" {
		t.Errorf("Delete(wrong password) error = %v, want a message on %s", err, usecase.InputPassword)
	}
	if err := f.account.Delete(ctx, p, "correct horse battery", home); err != nil {
		t.Fatalf("Delete() error = %v", err)
	}
	if _, err := f.users.ByID(ctx, p.User.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("user after Delete: %v, want not found", err)
	}
}
