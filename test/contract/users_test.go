package contract

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

func TestUserStoreCreate(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		in := domain.User{
			ID:                99, // ignored: the store assigns IDs
			Username:          username(t, "Alice"),
			PasswordHash:      "hash-a",
			CreatedAt:         t0.In(jst),
			CredentialVersion: 7, // ignored: a new account starts at 1
		}
		got, err := users.Create(ctx, in)
		if err != nil {
			t.Fatalf("Create(%q) error = %v", in.Username, err)
		}
		want := domain.User{ID: 1, Username: in.Username, PasswordHash: "hash-a", CreatedAt: ms(t0), Role: domain.RoleUser, CredentialVersion: domain.FirstCredentialVersion}
		if got != want {
			t.Errorf("Create(%q) = %+v, want %+v", in.Username, got, want)
		}
		stored, err := users.ByID(ctx, got.ID)
		if err != nil || stored != want {
			t.Errorf("ByID(%d) = %+v, %v, want %+v, nil", got.ID, stored, err, want)
		}
		bob := createUser(t, users, "bob")
		if bob.ID == got.ID || bob.ID == 0 {
			t.Errorf("second Create ID = %d, want a new nonzero ID (first was %d)", bob.ID, got.ID)
		}
	})
}

func TestUserStoreCreateKeepsStanding(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		tests := []struct {
			name                 string
			role                 domain.Role
			disabled, mustChange bool
			wantRole             domain.Role
		}{
			{"nobody", "", false, false, domain.RoleUser},
			{"plain", domain.RoleUser, false, false, domain.RoleUser},
			{"boss", domain.RoleAdmin, false, false, domain.RoleAdmin},
			{"gone", domain.RoleAdmin, true, false, domain.RoleAdmin},
			{"imported", domain.RoleUser, false, true, domain.RoleUser},
			{"both", domain.RoleUser, true, true, domain.RoleUser},
		}
		for _, tt := range tests {
			in := domain.User{
				Username:           username(t, tt.name),
				PasswordHash:       "h",
				CreatedAt:          t0,
				Role:               tt.role,
				Disabled:           tt.disabled,
				MustChangePassword: tt.mustChange,
			}
			got, err := users.Create(ctx, in)
			if err != nil {
				t.Fatalf("Create(%q) error = %v", tt.name, err)
			}
			want := in
			want.ID, want.CreatedAt, want.Role = got.ID, ms(t0), tt.wantRole
			want.CredentialVersion = domain.FirstCredentialVersion
			if got != want {
				t.Errorf("Create(%q, role %q) = %+v, want %+v", tt.name, tt.role, got, want)
			}
			if stored, err := users.ByID(ctx, got.ID); err != nil || stored != want {
				t.Errorf("ByID(%d) after Create(%q, role %q) = %+v, %v, want %+v", got.ID, tt.name, tt.role, stored, err, want)
			}
		}
		_, err := users.Create(ctx, domain.User{Username: username(t, "root"), PasswordHash: "h", CreatedAt: t0, Role: "root"})
		if err == nil {
			t.Errorf("Create(%q, role %q) error = nil, want an unknown role refused", "root", "root")
		}
		if _, err := users.ByUsername(ctx, username(t, "root")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByUsername(%q) after a refused Create: error = %v, want %v", "root", err, domain.ErrNotFound)
		}
	})
}

func TestUserStoreCreateTaken(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		tests := []struct {
			first, second string
			want          error
		}{
			{"Alice", "alice", domain.ErrUsernameTaken},
			{"alice", "ALICE", domain.ErrUsernameTaken},
			{"alice", "alice", domain.ErrUsernameTaken},
			{"Straße", "STRASSE", domain.ErrUsernameTaken},
			{"alice", "alice2", nil},
			{"alice", "alic", nil},
		}
		for _, tt := range tests {
			users := sqlstore.NewUserStore(b.newDB(t))
			createUser(t, users, tt.first)
			_, err := users.Create(context.Background(), domain.User{Username: username(t, tt.second), PasswordHash: "h", CreatedAt: t0})
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("Create(%q) after %q error = %v, want %v", tt.second, tt.first, err, tt.want)
			}
		}
	})
}

// TestUserStoreCreateTakenConcurrently signs up one name 16 times at once,
// with letters in other cases: one account, and ErrUsernameTaken for the
// rest, never a 500.
func TestUserStoreCreateTakenConcurrently(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		users := sqlstore.NewUserStore(b.newDB(t))
		const n = 16
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			name := username(t, []string{"Carol", "carol", "CAROL", "cArOl"}[i%4])
			wg.Go(func() {
				<-start
				_, errs[i] = users.Create(context.Background(), domain.User{Username: name, PasswordHash: "h", CreatedAt: t0})
			})
		}
		close(start)
		wg.Wait()
		var ok, taken int
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, domain.ErrUsernameTaken):
				taken++
			default:
				t.Errorf("concurrent Create(%q) error = %v, want nil or %v", "Carol", err, domain.ErrUsernameTaken)
			}
		}
		if ok != 1 || taken != n-1 {
			t.Errorf("%d concurrent Create(%q): %d succeeded and %d were taken, want 1 and %d", n, "Carol", ok, taken, n-1)
		}
		if page, err := users.List(context.Background(), usecase.UserQuery{Limit: 10}); err != nil || page.Total != 1 {
			t.Errorf("accounts after %d concurrent Create(%q) = %d, %v, want 1", n, "Carol", page.Total, err)
		}
	})
}

func TestUserStoreIDsAreNotReused(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users := sqlstore.NewUserStore(db)
		first := createUser(t, users, "alice")
		if _, err := db.ExecContext(ctx, "DELETE FROM users WHERE id = ?", int64(first.ID)); err != nil {
			t.Fatalf("delete user %d: %v", first.ID, err)
		}
		second := createUser(t, users, "bob")
		if second.ID <= first.ID {
			t.Errorf("Create after deleting user %d got ID %d, want a larger ID: a stale session must never reach a new account", first.ID, second.ID)
		}
	})
}

func TestUserStoreByUsername(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		alice := createUser(t, users, "Alice")
		tests := []struct {
			name    string
			want    domain.User
			wantErr error
		}{
			{"Alice", alice, nil},
			{"alice", alice, nil},
			{"ALICE", alice, nil},
			{"alicia", domain.User{}, domain.ErrNotFound},
		}
		for _, tt := range tests {
			got, err := users.ByUsername(ctx, username(t, tt.name))
			if got != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("ByUsername(%q) = %+v, %v, want %+v, %v", tt.name, got, err, tt.want, tt.wantErr)
			}
		}
		if got, _ := users.ByUsername(ctx, username(t, "alice")); got.Username.String() != "Alice" {
			t.Errorf("ByUsername(%q).Username = %q, want the name as typed, %q", "alice", got.Username, "Alice")
		}
	})
}

func TestUserStoreByID(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		alice := createUser(t, users, "alice")
		tests := []struct {
			id      domain.UserID
			want    domain.User
			wantErr error
		}{
			{alice.ID, alice, nil},
			{alice.ID + 1, domain.User{}, domain.ErrNotFound},
			{0, domain.User{}, domain.ErrNotFound},
		}
		for _, tt := range tests {
			got, err := users.ByID(ctx, tt.id)
			if got != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("ByID(%d) = %+v, %v, want %+v, %v", tt.id, got, err, tt.want, tt.wantErr)
			}
		}
	})
}

func TestUserStoreUpdatePasswordHash(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		alice := createUser(t, users, "alice")
		bob := createUser(t, users, "bob")
		if replaced, err := users.UpdatePasswordHash(ctx, alice.ID, alice.PasswordHash, "new-hash"); err != nil || !replaced {
			t.Fatalf("UpdatePasswordHash(%d, current hash) = %v, %v, want true, nil", alice.ID, replaced, err)
		}
		if got, err := users.ByID(ctx, alice.ID); err != nil || got.PasswordHash != "new-hash" {
			t.Errorf("after UpdatePasswordHash(%d), PasswordHash = %q, %v, want %q", alice.ID, got.PasswordHash, err, "new-hash")
		}
		if got, err := users.ByID(ctx, bob.ID); err != nil || got != bob {
			t.Errorf("after UpdatePasswordHash(%d), ByID(%d) = %+v, %v, want %+v unchanged", alice.ID, bob.ID, got, err, bob)
		}
		if _, err := users.UpdatePasswordHash(ctx, 404, "h", "h2"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("UpdatePasswordHash(404) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

// TestUserStoreUpdatePasswordHashKeepsANewerPassword is the rehash at
// login racing a password change: the rehash names the hash the login
// verified, the change has replaced it since, and the rehash must change
// nothing and say so, not overwrite the newer password with the old one.
func TestUserStoreUpdatePasswordHashKeepsANewerPassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		alice := createUser(t, users, "alice")
		verified := alice.PasswordHash
		if _, err := users.SetPassword(ctx, alice.ID, "newer-password-hash", false); err != nil {
			t.Fatalf("SetPassword(%d) error = %v", alice.ID, err)
		}
		replaced, err := users.UpdatePasswordHash(ctx, alice.ID, verified, "rehash-of-the-old-password")
		if err != nil || replaced {
			t.Errorf("UpdatePasswordHash(%d, stale hash) = %v, %v, want false, nil: a newer password won", alice.ID, replaced, err)
		}
		if got, err := users.ByID(ctx, alice.ID); err != nil || got.PasswordHash != "newer-password-hash" {
			t.Errorf("after UpdatePasswordHash(%d, stale hash), PasswordHash = %q, %v, want the newer %q kept", alice.ID, got.PasswordHash, err, "newer-password-hash")
		}
	})
}

// TestUserStoreSetPassword: a new password replaces the hash and the flag
// and moves the credential version on by one, in the same UPDATE, and
// SetPassword returns the new version; a rehash of the same password
// (UpdatePasswordHash) keeps both the flag and the version.
func TestUserStoreSetPassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		alice := createUser(t, users, "alice")
		bob := createUser(t, users, "bob")
		tests := []struct {
			hash        string
			mustChange  bool
			wantVersion int64
		}{
			{"hash-1", true, 2},
			{"hash-2", false, 3},
			{"hash-3", true, 4},
		}
		for _, tt := range tests {
			version, err := users.SetPassword(ctx, alice.ID, tt.hash, tt.mustChange)
			if err != nil || version != tt.wantVersion {
				t.Fatalf("SetPassword(%d, %q, %v) = %d, %v, want %d, nil", alice.ID, tt.hash, tt.mustChange, version, err, tt.wantVersion)
			}
			want := alice
			want.PasswordHash, want.MustChangePassword, want.CredentialVersion = tt.hash, tt.mustChange, tt.wantVersion
			if got, err := users.ByID(ctx, alice.ID); err != nil || got != want {
				t.Errorf("after SetPassword(%d, %q, %v), ByID = %+v, %v, want %+v", alice.ID, tt.hash, tt.mustChange, got, err, want)
			}
		}
		// UpdatePasswordHash (a rehash at login) keeps the flag and the
		// version: the password is the same, its sessions stay valid.
		if replaced, err := users.UpdatePasswordHash(ctx, alice.ID, "hash-3", "rehashed"); err != nil || !replaced {
			t.Fatalf("UpdatePasswordHash(%d) = %v, %v, want true, nil", alice.ID, replaced, err)
		}
		if got, err := users.ByID(ctx, alice.ID); err != nil || !got.MustChangePassword || got.CredentialVersion != 4 {
			t.Errorf("after UpdatePasswordHash(%d), MustChangePassword = %v, CredentialVersion = %d, %v; want true and 4 kept", alice.ID, got.MustChangePassword, got.CredentialVersion, err)
		}
		if got, err := users.ByID(ctx, bob.ID); err != nil || got != bob {
			t.Errorf("after SetPassword(%d), ByID(%d) = %+v, %v, want %+v unchanged", alice.ID, bob.ID, got, err, bob)
		}
		if _, err := users.SetPassword(ctx, 404, "h", false); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("SetPassword(404) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}
