package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// migrationFiles holds the schema as SQL, one up and one down file per
// step. The ".tx." files each run in one transaction, so a failed step
// leaves no half-built schema behind.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrate brings db's schema up to date, applying the steps that have not
// run yet; on an up-to-date database it changes nothing. It holds bun's
// migration lock while it works, so two processes never migrate at once.
func Migrate(ctx context.Context, db *bun.DB) (err error) {
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(migrationFiles); err != nil {
		return fmt.Errorf("sqlstore: load migrations: %w", err)
	}
	// Record a step only once it has succeeded: a step recorded first and
	// then failed would never be retried.
	m := migrate.NewMigrator(db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("sqlstore: init migrations: %w", translate(err))
	}
	if err := m.Lock(ctx); err != nil {
		// A process that died while migrating leaves its row behind; only
		// an operator can tell that apart from one still at work.
		return fmt.Errorf("sqlstore: lock migrations (if no other instance is migrating, delete the row in bun_migration_locks): %w", translate(err))
	}
	defer func() {
		// Release the lock even when ctx is done, or every later start fails.
		if uerr := m.Unlock(context.WithoutCancel(ctx)); uerr != nil {
			err = errors.Join(err, fmt.Errorf("sqlstore: unlock migrations: %w", translate(uerr)))
		}
	}()
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("sqlstore: run migrations: %w", translate(err))
	}
	return nil
}
