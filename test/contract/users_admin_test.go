package contract

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// createAccount stores an account named raw with role, disabled or not.
func createAccount(t *testing.T, users *sqlstore.UserStore, raw string, role domain.Role, disabled bool) domain.User {
	t.Helper()
	u, err := users.Create(context.Background(), domain.User{
		Username:     username(t, raw),
		PasswordHash: "h",
		CreatedAt:    t0,
		Role:         role,
		Disabled:     disabled,
	})
	if err != nil {
		t.Fatalf("Create(%q, role %q, disabled %v) error = %v", raw, role, disabled, err)
	}
	return u
}

// adminAction is one of the changes the last-admin guard watches, with
// what the account looks like after it.
type adminAction struct {
	name  string
	do    func(ctx context.Context, users *sqlstore.UserStore, id domain.UserID) error
	after func(u domain.User) (domain.User, bool) // false: the account is gone
}

var guardedActions = []adminAction{
	{
		"Delete",
		func(ctx context.Context, users *sqlstore.UserStore, id domain.UserID) error {
			return users.Delete(ctx, id)
		},
		func(u domain.User) (domain.User, bool) { return domain.User{}, false },
	},
	{
		"SetDisabled(true)",
		func(ctx context.Context, users *sqlstore.UserStore, id domain.UserID) error {
			return users.SetDisabled(ctx, id, true)
		},
		func(u domain.User) (domain.User, bool) { u.Disabled = true; return u, true },
	},
	{
		"SetRole(user)",
		func(ctx context.Context, users *sqlstore.UserStore, id domain.UserID) error {
			return users.SetRole(ctx, id, domain.RoleUser)
		},
		func(u domain.User) (domain.User, bool) { u.Role = domain.RoleUser; return u, true },
	},
}

// account is an account a guard test starts with.
type account struct {
	name     string
	role     domain.Role
	disabled bool
}

func TestUserStoreLastAdminGuard(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		var (
			root    = account{"root", domain.RoleAdmin, false}
			root2   = account{"root2", domain.RoleAdmin, false}
			retired = account{"retired", domain.RoleAdmin, true}
			alice   = account{"alice", domain.RoleUser, false}
			banned  = account{"banned", domain.RoleUser, true}
		)
		tests := []struct {
			accounts []account
			target   string
			want     error
		}{
			// The only enabled admin is protected, whoever else exists.
			{[]account{root}, "root", domain.ErrLastAdmin},
			{[]account{root, alice}, "root", domain.ErrLastAdmin},
			{[]account{root, retired}, "root", domain.ErrLastAdmin}, // a disabled admin is no admin
			// A second enabled admin lifts the guard.
			{[]account{root, root2}, "root", nil},
			{[]account{root, root2, retired}, "root2", nil},
			// Disabled admins and users are never protected.
			{[]account{root, retired}, "retired", nil},
			{[]account{retired}, "retired", nil},
			{[]account{root, alice}, "alice", nil},
			{[]account{alice}, "alice", nil}, // no admin at all
			{[]account{root, banned}, "banned", nil},
		}
		for _, action := range guardedActions {
			for _, tt := range tests {
				ctx := context.Background()
				db := b.newDB(t)
				users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
				byName := make(map[string]domain.User)
				for _, a := range tt.accounts {
					byName[a.name] = createAccount(t, users, a.name, a.role, a.disabled)
				}
				target := byName[tt.target]
				s := createSession(t, sessions, session(target.ID, 1, t0.Add(time.Hour)))

				err := action.do(ctx, users, target.ID)
				if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
					t.Errorf("%s(%q) among %v: error = %v, want %v", action.name, tt.target, tt.accounts, err, tt.want)
				}
				want, exists := action.after(target)
				if tt.want != nil {
					want, exists = target, true // refused: nothing changed
				}
				got, err := users.ByID(ctx, target.ID)
				if exists && (err != nil || got != want) || !exists && !errors.Is(err, domain.ErrNotFound) {
					t.Errorf("after %s(%q) among %v: ByID = %+v, %v, want %+v (exists: %v)", action.name, tt.target, tt.accounts, got, err, want, exists)
				}
				if _, err := sessions.ByTokenHash(ctx, s.TokenHash); exists != (err == nil) {
					t.Errorf("after %s(%q) among %v: ByTokenHash(session) error = %v, want the session kept: %v", action.name, tt.target, tt.accounts, err, exists)
				}
				for name, u := range byName {
					if name == tt.target {
						continue
					}
					if got, err := users.ByID(ctx, u.ID); err != nil || got != u {
						t.Errorf("after %s(%q) among %v: ByID(%q) = %+v, %v, want %+v unchanged", action.name, tt.target, tt.accounts, name, got, err, u)
					}
				}
			}
		}
	})
}

func TestUserStoreGuardedNotFound(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		createAccount(t, users, "root", domain.RoleAdmin, false)
		actions := append([]adminAction{
			{name: "SetDisabled(false)", do: func(ctx context.Context, users *sqlstore.UserStore, id domain.UserID) error {
				return users.SetDisabled(ctx, id, false)
			}},
			{name: "SetRole(admin)", do: func(ctx context.Context, users *sqlstore.UserStore, id domain.UserID) error {
				return users.SetRole(ctx, id, domain.RoleAdmin)
			}},
		}, guardedActions...)
		for _, a := range actions {
			if err := a.do(ctx, users, 404); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("%s(404) error = %v, want %v", a.name, err, domain.ErrNotFound)
			}
		}
	})
}

func TestUserStoreSetDisabledAndRole(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		root := createAccount(t, users, "root", domain.RoleAdmin, false)
		alice := createAccount(t, users, "alice", domain.RoleUser, false)

		steps := []struct {
			name string
			do   func() error
			want domain.User // alice after the step
		}{
			{"SetRole(alice, admin)", func() error { return users.SetRole(ctx, alice.ID, domain.RoleAdmin) }, with(alice, domain.RoleAdmin, false)},
			{"SetRole(alice, admin) again", func() error { return users.SetRole(ctx, alice.ID, domain.RoleAdmin) }, with(alice, domain.RoleAdmin, false)},
			{"SetDisabled(alice, true)", func() error { return users.SetDisabled(ctx, alice.ID, true) }, with(alice, domain.RoleAdmin, true)},
			{"SetDisabled(alice, true) again", func() error { return users.SetDisabled(ctx, alice.ID, true) }, with(alice, domain.RoleAdmin, true)},
			{"SetDisabled(alice, false)", func() error { return users.SetDisabled(ctx, alice.ID, false) }, with(alice, domain.RoleAdmin, false)},
			{"SetRole(alice, user)", func() error { return users.SetRole(ctx, alice.ID, domain.RoleUser) }, with(alice, domain.RoleUser, false)},
		}
		for _, st := range steps {
			if err := st.do(); err != nil {
				t.Fatalf("%s error = %v", st.name, err)
			}
			if got, err := users.ByID(ctx, alice.ID); err != nil || got != st.want {
				t.Errorf("after %s, ByID = %+v, %v, want %+v", st.name, got, err, st.want)
			}
		}
		// Promoting and enabling are never refused, even for the last admin.
		if err := users.SetRole(ctx, root.ID, domain.RoleAdmin); err != nil {
			t.Errorf("SetRole(%q, admin) of the only admin error = %v, want nil", "root", err)
		}
		if err := users.SetDisabled(ctx, root.ID, false); err != nil {
			t.Errorf("SetDisabled(%q, false) of the only admin error = %v, want nil", "root", err)
		}
		if err := users.SetRole(ctx, alice.ID, "root"); err == nil || errors.Is(err, domain.ErrNotFound) {
			t.Errorf("SetRole(%q, %q) error = %v, want an unknown role refused", "alice", "root", err)
		}
		if got, err := users.ByID(ctx, alice.ID); err != nil || got.Role != domain.RoleUser {
			t.Errorf("after SetRole(%q, %q), Role = %q, %v, want %q unchanged", "alice", "root", got.Role, err, domain.RoleUser)
		}
	})
}

// with returns u with role and disabled.
func with(u domain.User, role domain.Role, disabled bool) domain.User {
	u.Role, u.Disabled = role, disabled
	return u
}

// TestUserStoreDemoteOneOfTwoAdmins shows the guard follows the count: of
// two admins one may go, and then the other is the last.
func TestUserStoreDemoteOneOfTwoAdmins(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		for _, action := range guardedActions {
			ctx := context.Background()
			users := sqlstore.NewUserStore(b.newDB(t))
			first := createAccount(t, users, "first", domain.RoleAdmin, false)
			second := createAccount(t, users, "second", domain.RoleAdmin, false)
			if err := action.do(ctx, users, first.ID); err != nil {
				t.Errorf("%s(%q) with two admins: error = %v, want nil", action.name, "first", err)
			}
			if err := action.do(ctx, users, second.ID); !errors.Is(err, domain.ErrLastAdmin) {
				t.Errorf("%s(%q) after %s(%q): error = %v, want %v", action.name, "second", action.name, "first", err, domain.ErrLastAdmin)
			}
			if got, err := users.ByID(ctx, second.ID); err != nil || got != second {
				t.Errorf("after the refused %s(%q), ByID = %+v, %v, want %+v unchanged", action.name, "second", got, err, second)
			}
		}
	})
}

// TestUserStoreLastAdminGuardConcurrently has two admins remove each other
// at the same moment, by every pair of guarded actions (one demotes the
// other while that one disables the first, say), where the statements run
// on different connections: the guard must let exactly one through.
func TestUserStoreLastAdminGuardConcurrently(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		for _, first := range guardedActions {
			for _, second := range guardedActions {
				db := b.newDB(t)
				users := sqlstore.NewUserStore(db)
				for round := range 10 {
					ctx := context.Background()
					// Start each round with the two admins alone.
					if _, err := db.ExecContext(ctx, "DELETE FROM users"); err != nil {
						t.Fatalf("DELETE FROM users: %v", err)
					}
					admins := []domain.User{
						createAccount(t, users, "first", domain.RoleAdmin, false),
						createAccount(t, users, "second", domain.RoleAdmin, false),
					}
					// Each admin acts on the other.
					actions := []adminAction{first, second}
					errs := make([]error, len(admins))
					start := make(chan struct{})
					var wg sync.WaitGroup
					for i := range admins {
						wg.Go(func() {
							<-start
							errs[i] = actions[i].do(ctx, users, admins[1-i].ID)
						})
					}
					close(start)
					wg.Wait()

					what := fmt.Sprintf("round %d: %s(%q) and %s(%q) at once", round, first.name, "second", second.name, "first")
					var ok, refused int
					for i, err := range errs {
						switch {
						case err == nil:
							ok++
						case errors.Is(err, domain.ErrLastAdmin):
							refused++
						default:
							t.Errorf("%s: %s error = %v, want nil or %v", what, actions[i].name, err, domain.ErrLastAdmin)
						}
					}
					if ok != 1 || refused != 1 {
						t.Errorf("%s: %d succeeded and %d were refused, want 1 and 1", what, ok, refused)
					}
					var left int
					for _, a := range admins {
						if u, err := users.ByID(ctx, a.ID); err == nil && u.IsAdmin() {
							left++
						}
					}
					if left != 1 {
						t.Errorf("%s: enabled admins after = %d, want 1", what, left)
					}
				}
			}
		}
	})
}

func TestUserStoreDelete(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions, events := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db), sqlstore.NewEventStore(db)
		alice := createUser(t, users, "Alice")
		bob := createUser(t, users, "bob")
		a1 := createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
		a2 := createSession(t, sessions, session(alice.ID, 2, t0.Add(-time.Hour)))
		b1 := createSession(t, sessions, session(bob.ID, 3, t0.Add(time.Hour)))
		record(t, events, domain.SecurityEvent{Kind: domain.EventLoginSuccess, UserID: alice.ID, At: t0})

		if err := users.Delete(ctx, alice.ID); err != nil {
			t.Fatalf("Delete(%d) error = %v", alice.ID, err)
		}
		if _, err := users.ByID(ctx, alice.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByID(%d) after Delete: error = %v, want %v", alice.ID, err, domain.ErrNotFound)
		}
		for _, s := range []domain.Session{a1, a2} {
			if _, err := sessions.ByTokenHash(ctx, s.TokenHash); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("session %d of deleted user %d: error = %v, want %v", s.ID, alice.ID, err, domain.ErrNotFound)
			}
		}
		if got, err := sessions.ByTokenHash(ctx, b1.TokenHash); err != nil || got != b1 {
			t.Errorf("session %d of user %d after Delete(%d) = %+v, %v, want it kept", b1.ID, bob.ID, alice.ID, got, err)
		}
		if got, err := events.ListByUser(ctx, alice.ID, nil, 10); err != nil || len(got) != 1 {
			t.Errorf("ListByUser(%d) after Delete = %d events, %v, want 1: the history of a deleted account stays", alice.ID, len(got), err)
		}
		again := createUser(t, users, "ALICE") // the name is free again
		if again.ID <= bob.ID {
			t.Errorf("Create(%q) after Delete got ID %d, want a new ID above %d", "ALICE", again.ID, bob.ID)
		}
		if err := users.Delete(ctx, alice.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("second Delete(%d) error = %v, want %v", alice.ID, err, domain.ErrNotFound)
		}
	})
}
