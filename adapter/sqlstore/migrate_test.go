package sqlstore_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
)

func TestMigrateTwiceIsNoOp(t *testing.T) {
	ctx := context.Background()
	db := newDB(t) // migrated once
	users := sqlstore.NewUserStore(db)
	alice := createUser(t, users, "alice")

	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("second Migrate() error = %v, want nil", err)
	}
	var applied, locks int
	if err := db.NewRaw("SELECT count(*) FROM bun_migrations").Scan(ctx, &applied); err != nil || applied != upMigrations(t) {
		t.Errorf("applied migrations after two Migrate calls = %d, %v, want %d, one per .up.sql file", applied, err, upMigrations(t))
	}
	if err := db.NewRaw("SELECT count(*) FROM bun_migration_locks").Scan(ctx, &locks); err != nil || locks != 0 {
		t.Errorf("migration locks held after Migrate = %d, %v, want 0: a left lock blocks every later start", locks, err)
	}
	if got, err := users.ByID(ctx, alice.ID); err != nil || got != alice {
		t.Errorf("ByID(%d) after second Migrate = %+v, %v, want %+v: data must survive", alice.ID, got, err, alice)
	}
}

func TestMigrateCreatesTables(t *testing.T) {
	db := newDB(t)
	for _, table := range []string{"users", "sessions", "login_failures", "throttle_events", "security_events"} {
		var n int
		err := db.NewRaw("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(context.Background(), &n)
		if err != nil || n != 1 {
			t.Errorf("tables named %q after Migrate = %d, %v, want 1", table, n, err)
		}
	}
}

// upMigrations returns how many steps migrations/ holds.
func upMigrations(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatalf("ReadDir(migrations) error = %v", err)
	}
	var n int
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".up.sql") {
			n++
		}
	}
	return n
}

func TestMigrateFailsWhileLocked(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	if _, err := db.ExecContext(ctx, "INSERT INTO bun_migration_locks (table_name) VALUES ('bun_migrations')"); err != nil {
		t.Fatalf("take the migration lock: %v", err)
	}
	err := sqlstore.Migrate(ctx, db)
	if err == nil || !strings.HasPrefix(err.Error(), "sqlstore: lock migrations ") {
		t.Errorf("Migrate() while another process holds the lock: error = %v, want a %q error", err, "sqlstore: lock migrations")
	}
}

func TestMigrationsHaveDownFiles(t *testing.T) {
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatalf("ReadDir(migrations) error = %v", err)
	}
	names := make(map[string]bool)
	for _, e := range entries {
		names[e.Name()] = true
	}
	var ups int
	for name := range names {
		base, ok := strings.CutSuffix(name, ".up.sql")
		if !ok {
			continue
		}
		ups++
		if down := base + ".down.sql"; !names[down] {
			t.Errorf("migration %s has no %s", name, down)
		}
	}
	if ups == 0 {
		t.Error("migrations/ holds no .up.sql files")
	}
}
