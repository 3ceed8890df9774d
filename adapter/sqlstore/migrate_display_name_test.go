package sqlstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// displayNameStep is the migration that gives accounts a display name.
const displayNameStep = "20261206000201_"

// TestMigrateDisplayNameKeepsAccounts upgrades a database that holds an
// account from before displayNameStep: it comes out without a display
// name and can be given one. Rolling the step back loses no account.
func TestMigrateDisplayNameKeepsAccounts(t *testing.T) {
	ctx := context.Background()
	db := databaseBefore(t, displayNameStep)
	exec(t, db, "INSERT INTO users (username, username_canonical, password_hash, created_at) VALUES ('Alice', 'alice', 'h', ?)", t0.UnixMilli())

	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() over an older schema error = %v", err)
	}
	users := sqlstore.NewUserStore(db)
	u, err := users.ByUsername(ctx, username(t, "alice"))
	if err != nil || !u.DisplayName.IsZero() {
		t.Fatalf("ByUsername(alice) after Migrate = display name %q, %v; want none", u.DisplayName, err)
	}
	name, _ := domain.NewDisplayName("Alice Liddell")
	if err := users.SetDisplayName(ctx, u.ID, name); err != nil {
		t.Errorf("SetDisplayName() after Migrate error = %v", err)
	}

	all := migrate.NewMigrations()
	if err := all.Discover(os.DirFS("migrations/sqlite")); err != nil {
		t.Fatalf("Discover(migrations/sqlite) error = %v", err)
	}
	if _, err := migrate.NewMigrator(db, all).Rollback(ctx); err != nil { // the last group: displayNameStep and any after it
		t.Fatalf("Rollback(%s) error = %v", displayNameStep, err)
	}
	var cols, rows int
	scan(t, db, &cols, "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'display_name'")
	scan(t, db, &rows, "SELECT count(*) FROM users")
	if cols != 0 || rows != 1 {
		t.Errorf("after rolling back %s: %d display_name columns, %d accounts, want 0 and 1", displayNameStep, cols, rows)
	}
}
