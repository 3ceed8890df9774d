package sqlstore_test

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/database"
)

// accountsStep is the migration that adds roles, disabled accounts,
// session clients and the security history.
const accountsStep = "20261126000004_"

// TestMigrateAccountsKeepsData upgrades a database that holds an account
// and a session from before accountsStep, then rolls that one step back:
// the account becomes an enabled user, and neither direction loses a row.
func TestMigrateAccountsKeepsData(t *testing.T) {
	ctx := context.Background()
	db := databaseBefore(t, accountsStep)
	h := hashOf(1)
	exec(t, db, "INSERT INTO users (username, username_canonical, password_hash, created_at) VALUES ('Alice', 'alice', 'h', ?)", t0.UnixMilli())
	exec(t, db, "INSERT INTO sessions (token_hash, user_id, persistent, created_at, last_seen_at, expires_at, absolute_expires_at)"+
		" VALUES (?, 1, 0, ?, ?, ?, ?)", h[:], t0.UnixMilli(), t0.UnixMilli(), t0.Add(time.Hour).UnixMilli(), t0.Add(time.Hour).UnixMilli())

	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() over an older schema error = %v", err)
	}
	want := domain.User{ID: 1, Username: username(t, "Alice"), PasswordHash: "h", CreatedAt: ms(t0), Role: domain.RoleUser, CredentialVersion: domain.FirstCredentialVersion}
	if got, err := sqlstore.NewUserStore(db).ByID(ctx, 1); err != nil || got != want {
		t.Errorf("ByID(1) after Migrate = %+v, %v, want %+v: an existing account is an enabled user", got, err, want)
	}
	if got, err := sqlstore.NewSessionStore(db).ByTokenHash(ctx, h); err != nil || got.IP != "" || got.UserAgent != "" {
		t.Errorf("ByTokenHash() after Migrate = %+v, %v, want the session with no client", got, err)
	}
	if _, err := db.ExecContext(ctx, "UPDATE users SET role = 'root' WHERE id = 1"); err == nil {
		t.Errorf("UPDATE users SET role = 'root' error = nil, want the CHECK constraint to refuse an unknown role")
	}

	all := migrate.NewMigrations()
	if err := all.Discover(os.DirFS("migrations/sqlite")); err != nil {
		t.Fatalf("Discover(migrations/sqlite) error = %v", err)
	}
	if _, err := migrate.NewMigrator(db, all).Rollback(ctx); err != nil { // the last group: accountsStep and every later step
		t.Fatalf("Rollback(%s) error = %v", accountsStep, err)
	}
	var cols, events, rows int
	scan(t, db, &cols, "SELECT count(*) FROM pragma_table_info('users') WHERE name IN ('role', 'disabled', 'must_change_password')")
	scan(t, db, &events, "SELECT count(*) FROM sqlite_master WHERE name = 'security_events'")
	scan(t, db, &rows, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions)")
	if cols != 0 || events != 0 || rows != 2 {
		t.Errorf("after rolling back %s: %d new users columns, %d security_events tables, %d rows, want 0, 0 and 2", accountsStep, cols, events, rows)
	}
}

// databaseBefore returns an in-memory SQLite database migrated up to,
// not including, step: the schema an older release left.
func databaseBefore(t *testing.T, step string) *bun.DB {
	t.Helper()
	db, err := database.Open("sqlite::memory:")
	if err != nil {
		t.Fatalf("database.Open() error = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	older := migrate.NewMigrator(db, migrationsBefore(t, step))
	ctx := context.Background()
	if err := older.Init(ctx); err != nil {
		t.Fatalf("Init() error = %v", err)
	}
	if _, err := older.Migrate(ctx); err != nil {
		t.Fatalf("Migrate(steps before %s) error = %v", step, err)
	}
	return db
}

// migrationsBefore returns the steps in migrations/sqlite that sort
// before step.
func migrationsBefore(t *testing.T, step string) *migrate.Migrations {
	t.Helper()
	dir := os.DirFS("migrations/sqlite")
	files := fstest.MapFS{}
	entries, err := fs.ReadDir(dir, ".")
	if err != nil {
		t.Fatalf("ReadDir(migrations/sqlite) error = %v", err)
	}
	for _, e := range entries {
		if e.Name() >= step || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		data, err := fs.ReadFile(dir, e.Name())
		if err != nil {
			t.Fatalf("ReadFile(%s) error = %v", e.Name(), err)
		}
		files[e.Name()] = &fstest.MapFile{Data: data}
	}
	m := migrate.NewMigrations()
	if err := m.Discover(files); err != nil {
		t.Fatalf("Discover(steps before %s) error = %v", step, err)
	}
	return m
}
