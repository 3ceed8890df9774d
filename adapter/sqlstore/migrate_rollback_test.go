package sqlstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
)

// TestMigrationsRollBack runs every down file after Migrate and then
// Migrate again: a broken down file would strand an operator mid-rollback.
func TestMigrationsRollBack(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(os.DirFS("migrations")); err != nil {
		t.Fatalf("Discover(migrations) error = %v", err)
	}
	m := migrate.NewMigrator(db, migrations)
	for {
		group, err := m.Rollback(ctx)
		if err != nil {
			t.Fatalf("Rollback() error = %v", err)
		}
		if group.IsZero() {
			break
		}
	}
	var tables int
	if err := db.NewRaw("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'bun_%' AND name NOT LIKE 'sqlite_%'").Scan(ctx, &tables); err != nil || tables != 0 {
		t.Errorf("tables left after rolling back every migration = %d, %v, want 0", tables, err)
	}
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Errorf("Migrate() after rollback error = %v, want nil", err)
	}
}
