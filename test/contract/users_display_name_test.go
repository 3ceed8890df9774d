package contract

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// displayName returns the display name raw makes.
func displayName(t *testing.T, raw string) domain.DisplayName {
	t.Helper()
	d, err := domain.NewDisplayName(raw)
	if err != nil {
		t.Fatalf("NewDisplayName(%q) error = %v", raw, err)
	}
	return d
}

// TestUserStoreDisplayName: a new account has no display name; one set
// comes back byte for byte from every read that returns the account (by
// id, by name, with a session, in the admin's list), and changes nothing
// else of it; cleared, the column is NULL again; an unknown account is
// domain.ErrNotFound.
func TestUserStoreDisplayName(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
		alice := createUser(t, users, "alice")
		bob := createUser(t, users, "bob")
		if !alice.DisplayName.IsZero() {
			t.Errorf("Create(alice) display name = %q, want none", alice.DisplayName)
		}
		if _, err := sessions.Create(ctx, session(alice.ID, 1, t0.Add(time.Hour))); err != nil {
			t.Fatalf("Create(session) error = %v", err)
		}

		// reads returns alice as every read of the store returns her.
		reads := func(t *testing.T) map[string]domain.User {
			t.Helper()
			out := map[string]domain.User{}
			var err error
			if out["ByID"], err = users.ByID(ctx, alice.ID); err != nil {
				t.Fatalf("ByID() error = %v", err)
			}
			if out["ByUsername"], err = users.ByUsername(ctx, alice.Username); err != nil {
				t.Fatalf("ByUsername() error = %v", err)
			}
			if _, out["ByTokenHashWithUser"], err = sessions.ByTokenHashWithUser(ctx, hashOf(1)); err != nil {
				t.Fatalf("ByTokenHashWithUser() error = %v", err)
			}
			page, err := users.List(ctx, usecase.UserQuery{Search: "alice", Limit: 10, Now: t0})
			if err != nil || len(page.Users) != 1 {
				t.Fatalf("List(alice) = %+v, %v; want alice", page, err)
			}
			out["List"] = page.Users[0].User
			return out
		}

		for _, raw := range []string{"Alice Liddell", `<b>"Al" & 'ice'</b>`, "山田 太郎 \u2764\ufe0f\u200d\U0001f525", strings.Repeat("é", domain.DisplayNameMaxLen)} {
			name := displayName(t, raw)
			if err := users.SetDisplayName(ctx, alice.ID, name); err != nil {
				t.Fatalf("SetDisplayName(%q) error = %v", name, err)
			}
			want := alice
			want.DisplayName = name
			for read, got := range reads(t) {
				if got != want {
					t.Errorf("%s after SetDisplayName(%q) = %+v, want %+v: the name and nothing else changed", read, name, got, want)
				}
			}
		}
		if got, err := users.ByID(ctx, bob.ID); err != nil || !got.DisplayName.IsZero() {
			t.Errorf("ByID(bob) after alice's changes = %q, %v; want bob without a display name", got.DisplayName, err)
		}

		if err := users.SetDisplayName(ctx, alice.ID, domain.DisplayName{}); err != nil {
			t.Fatalf("SetDisplayName(none) error = %v", err)
		}
		for read, got := range reads(t) {
			if got != alice {
				t.Errorf("%s after clearing = %+v, want %+v", read, got, alice)
			}
		}
		var nulls int
		if err := db.NewRaw("SELECT count(*) FROM users WHERE display_name IS NULL").Scan(ctx, &nulls); err != nil || nulls != 2 {
			t.Errorf("users with a NULL display_name after clearing = %d, %v; want 2: none is NULL, not \"\"", nulls, err)
		}

		if err := users.SetDisplayName(ctx, 999, displayName(t, "Nobody")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("SetDisplayName(unknown account) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

// TestUserStoreCreateKeepsDisplayName: an account created with a display
// name has it.
func TestUserStoreCreateKeepsDisplayName(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		users := sqlstore.NewUserStore(b.newDB(t))
		in := domain.User{Username: username(t, "carol"), DisplayName: displayName(t, "Carol C."), PasswordHash: "h", CreatedAt: t0}
		got, err := users.Create(ctx, in)
		if err != nil || got.DisplayName != in.DisplayName {
			t.Fatalf("Create(with a display name) = %q, %v; want %q", got.DisplayName, err, in.DisplayName)
		}
		if stored, err := users.ByID(ctx, got.ID); err != nil || stored.DisplayName != in.DisplayName {
			t.Errorf("ByID(carol) = %q, %v; want %q", stored.DisplayName, err, in.DisplayName)
		}
	})
}

// TestUserStoreDisplayNameCheck: the database itself refuses an empty or
// overlong display name (counted in characters, not bytes) that did not
// come through domain.NewDisplayName, and keeps the one it had.
func TestUserStoreDisplayNameCheck(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users := sqlstore.NewUserStore(db)
		alice := createUser(t, users, "alice")
		kept := displayName(t, "Alice")
		if err := users.SetDisplayName(ctx, alice.ID, kept); err != nil {
			t.Fatalf("SetDisplayName() error = %v", err)
		}
		if err := users.SetDisplayName(ctx, alice.ID, domain.RestoreDisplayName(strings.Repeat("é", domain.DisplayNameMaxLen+1))); err == nil {
			t.Errorf("SetDisplayName(65 characters) error = nil, want the database's CHECK to refuse it")
		}
		if _, err := db.ExecContext(ctx, "UPDATE users SET display_name = '' WHERE id = ?", int64(alice.ID)); err == nil {
			t.Errorf("UPDATE users SET display_name = '' error = nil, want the CHECK to refuse it")
		}
		if got, err := users.ByID(ctx, alice.ID); err != nil || got.DisplayName != kept {
			t.Errorf("ByID() after the refusals = %q, %v; want %q kept", got.DisplayName, err, kept)
		}
	})
}
