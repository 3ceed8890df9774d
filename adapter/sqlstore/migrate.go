package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/migrate"
)

// migrationFiles holds the schema as SQL, one directory per dialect with
// the same steps under the same names, one up and one down file per
// step. The ".tx." files each run in one transaction, so a failed step
// leaves no half-built schema behind.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migrationDirs maps each dialect to its directory in migrationFiles.
var migrationDirs = map[dialect.Name]string{
	dialect.SQLite: "migrations/sqlite",
	dialect.PG:     "migrations/postgres",
}

// lockWait bounds how long Migrate waits for another process's migration
// lock; the caller's context may end the wait sooner. Migrating this
// schema takes well under a second, so a lock held this long was left by
// a process that died.
const lockWait = time.Minute

// Migrate brings db's schema up to date, applying the steps that have not
// run yet; on an up-to-date database it changes nothing. It holds bun's
// migration lock while it works, so two processes never migrate at once:
// one that finds the lock taken waits for it, checking again and again,
// for at most lockWait or until ctx ends, and then finds the steps the
// other applied. Several instances may therefore start at the same time.
// Still under the lock, it computes the username skeletons that rows lack
// (fillSkeletons), which SQL cannot.
func Migrate(ctx context.Context, db *bun.DB) (err error) {
	migrations, err := Migrations(db)
	if err != nil {
		return err
	}
	// Record a step only once it has succeeded: a step recorded first and
	// then failed would never be retried.
	m := migrate.NewMigrator(db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := initTables(ctx, m); err != nil {
		return fmt.Errorf("sqlstore: init migrations: %w", translate(err))
	}
	if err := lock(ctx, m); err != nil {
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
	return fillSkeletons(ctx, db)
}

// AppliedMigrations returns the names of the migrations recorded in db,
// oldest first. It creates bun's bookkeeping tables when they are missing,
// as Migrate would, so a new database has none applied rather than an
// error.
func AppliedMigrations(ctx context.Context, db *bun.DB) ([]string, error) {
	m := migrate.NewMigrator(db, migrate.NewMigrations())
	if err := initTables(ctx, m); err != nil {
		return nil, fmt.Errorf("sqlstore: init migrations: %w", translate(err))
	}
	applied, err := m.AppliedMigrations(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: read applied migrations: %w", translate(err))
	}
	names := make([]string, len(applied))
	for i, a := range applied {
		names[i] = a.Name
	}
	slices.Sort(names)
	return names, nil
}

// Migrations returns the steps for db's dialect as Migrate applies
// them, for tools and tests that look at them or roll them back.
func Migrations(db *bun.DB) (*migrate.Migrations, error) {
	dir, ok := migrationDirs[db.Dialect().Name()]
	if !ok {
		return nil, fmt.Errorf("sqlstore: no migrations for the %s dialect", db.Dialect().Name())
	}
	files, err := fs.Sub(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: load migrations: %w", err)
	}
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(files); err != nil {
		return nil, fmt.Errorf("sqlstore: load migrations: %w", err)
	}
	return migrations, nil
}

// initTables creates bun's bookkeeping tables unless they exist. Two
// processes that start together may both find them missing; in
// PostgreSQL the slower CREATE TABLE IF NOT EXISTS then fails on a
// catalog unique index or as a duplicate table, and trying again finds
// the tables there.
func initTables(ctx context.Context, m *migrate.Migrator) error {
	const attempts = 5
	var err error
	for i := range attempts {
		if err = m.Init(ctx); err == nil || !lostCreateRace(err) {
			return err
		}
		if werr := sleep(ctx, backoff(i)); werr != nil {
			return err
		}
	}
	return err
}

// lostCreateRace reports whether err is what a CREATE TABLE IF NOT EXISTS
// that ran beside another one may fail with.
func lostCreateRace(err error) bool {
	state := postgresState(err)
	return isUniqueViolation(err) || state == pgDuplicateTable || state == pgDuplicateObject || isUnavailable(err)
}

// lock takes bun's migration lock, a row in bun_migration_locks that only
// one process can insert. While another process holds it, lock tries
// again with growing pauses, for at most lockWait or until ctx ends, and
// then returns the last refusal.
func lock(ctx context.Context, m *migrate.Migrator) error {
	deadline := time.Now().Add(lockWait)
	for i := 0; ; i++ {
		err := m.Lock(ctx)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("%w: %w", ctx.Err(), err)
		case !isUniqueViolation(err) && !isUnavailable(err):
			return err
		}
		pause := backoff(i)
		if time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("waited %s: %w", lockWait, err)
		}
		if werr := sleep(ctx, pause); werr != nil {
			return fmt.Errorf("%w: %w", werr, err)
		}
	}
}

// backoff returns the pause before retry i (from 0): 20 ms doubling to
// at most 500 ms, each with up to a quarter more at random, so processes
// that started together do not retry in step.
func backoff(i int) time.Duration {
	d := min(20*time.Millisecond<<min(i, 5), 500*time.Millisecond)
	return d + rand.N(d/4+1)
}

// sleep waits for d or until ctx ends, and then returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
