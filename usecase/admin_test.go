package usecase_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

type adminFixture struct {
	*accountFixture
	admin *usecase.Admin
}

func newAdminFixture(t *testing.T) *adminFixture {
	t.Helper()
	f := newAccountFixture(t)
	policy := usecase.NewPasswordPolicy(f.hasher, fakeBlocklist{})
	admin := usecase.NewAdmin(f.users, f.users, f.users, f.manager, f.throttles, policy, f.events, f.clock, discard)
	return &adminFixture{accountFixture: f, admin: admin}
}

func TestAdminRequiresAnAdmin(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	alice, _ := f.users.ByID(ctx, f.user.ID)
	checks := map[string]error{}
	_, checks["List"] = f.admin.List(ctx, usecase.Actor{User: alice}, "", 0)
	checks["Disable"] = f.admin.Disable(ctx, usecase.Actor{User: alice}, alice.ID, home)
	checks["SetRole"] = f.admin.SetRole(ctx, usecase.Actor{User: alice}, alice.ID, domain.RoleAdmin, home)
	disabledAdmin := alice
	disabledAdmin.Role, disabledAdmin.Disabled = domain.RoleAdmin, true
	_, checks["List by a disabled admin"] = f.admin.List(ctx, usecase.Actor{User: disabledAdmin}, "", 0)
	for name, err := range checks {
		if !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s by a non-admin error = %v, want %v", name, err, domain.ErrForbidden)
		}
	}
	if u, _ := f.users.ByID(ctx, alice.ID); u.Role != domain.RoleUser || u.Disabled {
		t.Errorf("a refused action changed the account: %+v", u)
	}
}

func TestAdminActions(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	boss, err := f.admin.Create(ctx, usecase.Operator, "boss", "the chief's passphrase", domain.RoleAdmin, usecase.Client{})
	if err != nil {
		t.Fatalf("Create(boss) error = %v", err)
	}
	actor := usecase.Actor{User: boss}
	p := f.loginAlice(t)

	// Disable ends alice's sessions at once.
	if err := f.admin.Disable(ctx, actor, p.User.ID, home); err != nil {
		t.Fatalf("Disable() error = %v", err)
	}
	if n := f.sessions.count(t); n != 0 {
		t.Errorf("sessions after Disable = %d, want 0", n)
	}
	if err := f.admin.Enable(ctx, actor, p.User.ID, home); err != nil {
		t.Fatal(err)
	}
	f.loginAlice(t)

	// Clearing throttling unlocks at once.
	for range 5 {
		f.try("198.51.100.1", "wrong password!")
	}
	if err := f.try("198.51.100.1", "correct horse battery"); retryAfter(err) == 0 {
		t.Fatalf("alice not locked after 5 failures: %v", err)
	}
	if err := f.admin.ClearThrottle(ctx, actor, p.User.ID, home); err != nil {
		t.Fatal(err)
	}
	if err := f.try("198.51.100.1", "correct horse battery"); err != nil {
		t.Errorf("login after ClearThrottle error = %v, want nil", err)
	}

	if n, err := f.admin.RevokeSessions(ctx, actor, p.User.ID, home); err != nil || n < 1 {
		t.Errorf("RevokeSessions() = %d, %v; want her sessions ended", n, err)
	}

	// The last admin guard, through the use case.
	if err := f.admin.SetRole(ctx, actor, boss.ID, domain.RoleUser, home); !errors.Is(err, domain.ErrLastAdmin) {
		t.Errorf("demoting the only admin error = %v, want %v", err, domain.ErrLastAdmin)
	}
	f.loginAlice(t)
	if err := f.admin.SetRole(ctx, actor, p.User.ID, domain.RoleAdmin, home); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.account.Sessions(ctx, p); len(list) != 0 {
		t.Errorf("sessions after a role change = %d, want 0: a privilege change needs a new token", len(list))
	}
	if err := f.admin.SetRole(ctx, actor, boss.ID, domain.RoleUser, home); err != nil {
		t.Errorf("demoting one of two admins error = %v, want nil", err)
	}

	page, err := f.admin.List(ctx, usecase.Operator, "ALI", 0)
	if err != nil || page.Total != 1 || page.Users[0].User.Username.String() != "alice" {
		t.Errorf("List(ALI) = %+v, %v; want alice", page, err)
	}
	if u, err := f.admin.ByName(ctx, usecase.Operator, "BOSS"); err != nil || u.ID != boss.ID {
		t.Errorf("ByName(BOSS) = %v, %v; want boss", u.ID, err)
	}
	if _, err := f.admin.ByName(ctx, usecase.Operator, "no one"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("ByName(invalid) error = %v, want not found", err)
	}
}

func TestAdminCreateAppliesThePolicy(t *testing.T) {
	f := newAdminFixture(t)
	_, err := f.admin.Create(context.Background(), usecase.Operator, "root", "root-password-1", domain.RoleAdmin, usecase.Client{IP: netip.MustParseAddr("127.0.0.1")})
	var invalid *usecase.InvalidInputError
	if !errors.As(err, &invalid) || invalid.Fields[usecase.InputPassword] == "" {
		t.Errorf("Create(password containing the name) error = %v, want a password message", err)
	}
}

// TestAdminActionOnAnUnknownAccountIsNotFoundAndRecordsNothing: an admin
// action on an id that names no account answers domain.ErrNotFound (a 404)
// and stores no event. An event stored for that id would show up in the
// history of the account that gets the id later.
func TestAdminActionOnAnUnknownAccountIsNotFoundAndRecordsNothing(t *testing.T) {
	actions := []struct {
		name string
		do   func(ctx context.Context, a *usecase.Admin, id domain.UserID) error
	}{
		{"Disable", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.Disable(ctx, usecase.Operator, id, home)
		}},
		{"Enable", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.Enable(ctx, usecase.Operator, id, home)
		}},
		{"ClearThrottle", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.ClearThrottle(ctx, usecase.Operator, id, home)
		}},
		{"RevokeSessions", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			_, err := a.RevokeSessions(ctx, usecase.Operator, id, home)
			return err
		}},
		{"SetRole(admin)", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.SetRole(ctx, usecase.Operator, id, domain.RoleAdmin, home)
		}},
		{"SetRole(user)", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.SetRole(ctx, usecase.Operator, id, domain.RoleUser, home)
		}},
		{"Delete", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.Delete(ctx, usecase.Operator, id, home)
		}},
		{"SetPassword", func(ctx context.Context, a *usecase.Admin, id domain.UserID) error {
			return a.SetPassword(ctx, usecase.Operator, id, "a brand new passphrase", home)
		}},
	}
	for _, tt := range actions {
		t.Run(tt.name, func(t *testing.T) {
			f := newAdminFixture(t)
			unknown := f.user.ID + 1000
			if err := tt.do(context.Background(), f.admin, unknown); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("%s(unknown id %d) error = %v, want %v", tt.name, unknown, err, domain.ErrNotFound)
			}
			if got := f.events.kinds(t, unknown); len(got) != 0 {
				t.Errorf("%s(unknown id %d) stored events %v about that id, want none", tt.name, unknown, got)
			}
		})
	}
}
