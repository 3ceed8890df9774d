package contract

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// skeletonStep is the migration that adds users.username_skeleton.
const skeletonStep = "20261205000003"

// TestUserStoreCreateLookalikeTaken creates a name, then one that differs
// from it only in letters that look alike: the second is
// domain.ErrUsernameTaken, as a name taken without regard to case is.
func TestUserStoreCreateLookalikeTaken(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		tests := []struct {
			first, second string
			want          error
		}{
			{"root", "r\u043e\u043et", domain.ErrUsernameTaken}, // Cyrillic о: stored before the script rule, say
			{"root", "ro\u03bft", domain.ErrUsernameTaken},      // Greek omicron
			{"paypal", "p\u0430ypal", domain.ErrUsernameTaken},  // Cyrillic а
			{"modem", "rnodem", domain.ErrUsernameTaken},        // m and rn
			{"admin1", "adminl", domain.ErrUsernameTaken},       // one and l
			{"alice", "aIice", domain.ErrUsernameTaken},         // capital I and l
			{"root", "root\u3164", domain.ErrUsernameTaken},     // an invisible Hangul filler
			{"root", "roots", nil},
			{"\u0440\u043e\u0440", "pop", domain.ErrUsernameTaken}, // Cyrillic "рор", all one script, looks like Latin "pop"
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

// TestUserStoreCreateLookalikeConcurrently creates 16 names that all look
// like "root" at once: one account, and ErrUsernameTaken for the rest,
// never a 500, on every database.
func TestUserStoreCreateLookalikeConcurrently(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		users := sqlstore.NewUserStore(b.newDB(t))
		names := []string{"root", "r\u043eot", "ro\u043et", "r\u043e\u043et", "ro\u03bft", "ROOT", "r\u03bf\u03bft", "Root"}
		const n = 16
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			name := username(t, names[i%len(names)])
			wg.Go(func() {
				<-start
				_, errs[i] = users.Create(context.Background(), domain.User{Username: name, PasswordHash: "h", CreatedAt: t0})
			})
		}
		close(start)
		wg.Wait()
		var ok, taken int
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, domain.ErrUsernameTaken):
				taken++
			default:
				t.Errorf("concurrent Create(%q) error = %v, want nil or %v", names[i%len(names)], err, domain.ErrUsernameTaken)
			}
		}
		if ok != 1 || taken != n-1 {
			t.Errorf("%d concurrent Create of names like %q: %d succeeded and %d were taken, want 1 and %d", n, "root", ok, taken, n-1)
		}
		if page, err := users.List(context.Background(), usecase.UserQuery{Limit: 10}); err != nil || page.Total != 1 {
			t.Errorf("accounts after %d concurrent Create = %d, %v, want 1", n, page.Total, err)
		}
	})
}

// TestMigrateFillsSkeletons upgrades a database that holds accounts from
// before skeletonStep, two of which look alike: Migrate succeeds, the
// older of the two keeps the skeleton, every account still logs in by its
// name, and a new name that looks like either is taken.
func TestMigrateFillsSkeletons(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.open(t, b.url(t))
		older := migrate.NewMigrator(db, migrationsBefore(t, db, skeletonStep))
		if err := older.Init(ctx); err != nil {
			t.Fatalf("Init() error = %v", err)
		}
		if _, err := older.Migrate(ctx); err != nil {
			t.Fatalf("Migrate(steps before %s) error = %v", skeletonStep, err)
		}
		existing := []string{"root", "r\u043e\u043et", "Alice", "ro\u03bft"} // two lookalikes of root, after it
		for _, name := range existing {
			u := username(t, name)
			if _, err := db.NewRaw("INSERT INTO users (username, username_canonical, password_hash, created_at) VALUES (?, ?, 'h', ?)",
				u.String(), u.Canonical(), t0.UnixMilli()).Exec(ctx); err != nil {
				t.Fatalf("insert %q: %v", name, err)
			}
		}

		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatalf("Migrate() over accounts that look alike error = %v, want nil", err)
		}
		want := map[string]string{"root": "root", "r\u043e\u043et": "", "Alice": "alice", "ro\u03bft": ""}
		for name, sk := range want {
			var got []string
			if err := db.NewRaw("SELECT coalesce(username_skeleton, '') FROM users WHERE username = ?", name).Scan(ctx, &got); err != nil || len(got) != 1 || got[0] != sk {
				t.Errorf("username_skeleton of %q after Migrate = %q, %v, want %q", name, got, err, sk)
			}
		}
		users := sqlstore.NewUserStore(db)
		for _, name := range existing {
			if u, err := users.ByUsername(ctx, username(t, name)); err != nil || u.Username.String() != name {
				t.Errorf("ByUsername(%q) after Migrate = %q, %v, want the account: old names keep logging in", name, u.Username, err)
			}
		}
		for _, name := range []string{"R\u041e\u041eT", "r\u043eot", "\u0430lice"} {
			if _, err := users.Create(ctx, domain.User{Username: username(t, name), PasswordHash: "h", CreatedAt: t0}); !errors.Is(err, domain.ErrUsernameTaken) {
				t.Errorf("Create(%q) after Migrate error = %v, want %v", name, err, domain.ErrUsernameTaken)
			}
		}
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Errorf("Migrate() again error = %v, want nil", err)
		}
	})
}

// migrationsBefore returns db's migrations older than step.
func migrationsBefore(t *testing.T, db *bun.DB, step string) *migrate.Migrations {
	t.Helper()
	all, err := sqlstore.Migrations(db)
	if err != nil {
		t.Fatalf("Migrations() error = %v", err)
	}
	m := migrate.NewMigrations()
	for _, s := range all.Sorted() {
		if s.Name < step {
			m.Add(s)
		}
	}
	return m
}
