package contract

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
)

// tables are the tables the migrations create.
var tables = []string{"users", "sessions", "login_failures", "throttle_events", "security_events", "mail_outbox", "one_time_codes"}

// steps returns the names of the migrations for db's dialect, oldest
// first.
func steps(t *testing.T, db *bun.DB) []string {
	t.Helper()
	ms, err := sqlstore.Migrations(db)
	if err != nil {
		t.Fatalf("Migrations() error = %v", err)
	}
	var names []string
	for _, m := range ms.Sorted() {
		names = append(names, m.Name)
	}
	return names
}

// checkMigrated fails unless db's bun_migrations holds each step exactly
// once and no process holds the migration lock.
func checkMigrated(t *testing.T, db *bun.DB, what string) {
	t.Helper()
	ctx := context.Background()
	want := steps(t, db)
	var rows []struct {
		Name  string `bun:"name"`
		Count int    `bun:"n"`
	}
	if err := db.NewRaw("SELECT name, count(*) AS n FROM bun_migrations GROUP BY name ORDER BY name").Scan(ctx, &rows); err != nil {
		t.Fatalf("%s: read bun_migrations: %v", what, err)
	}
	if len(rows) != len(want) {
		t.Errorf("%s: bun_migrations holds %d steps, want %d (%q)", what, len(rows), len(want), want)
	}
	for i, r := range rows {
		if r.Count != 1 || i >= len(want) || r.Name != want[i] {
			t.Errorf("%s: bun_migrations has %s %d times, want each of %q once", what, r.Name, r.Count, want)
		}
	}
	var locks int
	if err := db.NewRaw("SELECT count(*) FROM bun_migration_locks").Scan(ctx, &locks); err != nil || locks != 0 {
		t.Errorf("%s: migration locks held = %d, %v, want 0: a left lock blocks every later start", what, locks, err)
	}
}

func TestMigrateTwiceIsNoOp(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t) // migrated once
		users := sqlstore.NewUserStore(db)
		alice := createUser(t, users, "alice")

		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatalf("second Migrate() error = %v, want nil", err)
		}
		checkMigrated(t, db, "after two Migrate calls")
		if got, err := users.ByID(ctx, alice.ID); err != nil || got != alice {
			t.Errorf("ByID(%d) after second Migrate = %+v, %v, want %+v: data must survive", alice.ID, got, err, alice)
		}
		for _, table := range tables {
			var n int
			if err := db.NewRaw("SELECT count(*) FROM ?", bun.Ident(table)).Scan(ctx, &n); err != nil {
				t.Errorf("table %s after Migrate: %v, want it there", table, err)
			}
		}
	})
}

func TestAppliedMigrations(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.open(t, b.url(t))
		if got, err := sqlstore.AppliedMigrations(ctx, db); err != nil || len(got) != 0 {
			t.Errorf("AppliedMigrations() on a new database = %q, %v, want none", got, err)
		}
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Fatalf("Migrate() error = %v", err)
		}
		got, err := sqlstore.AppliedMigrations(ctx, db)
		if want := steps(t, db); err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("AppliedMigrations() after Migrate = %q, %v, want %q", got, err, want)
		}
	})
}

// TestMigrationsRollBack runs every down file after Migrate and then
// Migrate again: a broken down file would strand an operator mid-rollback.
func TestMigrationsRollBack(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		ms, err := sqlstore.Migrations(db)
		if err != nil {
			t.Fatalf("Migrations() error = %v", err)
		}
		m := migrate.NewMigrator(db, ms)
		for {
			group, err := m.Rollback(ctx)
			if err != nil {
				t.Fatalf("Rollback() error = %v", err)
			}
			if group.IsZero() {
				break
			}
		}
		for _, table := range tables {
			var n int
			if err := db.NewRaw("SELECT count(*) FROM ?", bun.Ident(table)).Scan(ctx, &n); err == nil {
				t.Errorf("table %s after rolling back every migration: still there", table)
			}
		}
		if err := sqlstore.Migrate(ctx, db); err != nil {
			t.Errorf("Migrate() after rollback error = %v, want nil", err)
		}
		checkMigrated(t, db, "after rollback and Migrate")
	})
}

// takeLock takes bun's migration lock as another process would.
func takeLock(t *testing.T, db *bun.DB) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), "INSERT INTO bun_migration_locks (table_name) VALUES ('bun_migrations')"); err != nil {
		t.Fatalf("take the migration lock: %v", err)
	}
}

// TestMigrateWaitsForTheLock has another process hold the migration lock
// for a while: Migrate waits, then migrates once the lock is free.
func TestMigrateWaitsForTheLock(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		takeLock(t, db)
		const held = 300 * time.Millisecond
		released := make(chan error, 1)
		go func() {
			time.Sleep(held)
			_, err := db.ExecContext(ctx, "DELETE FROM bun_migration_locks")
			released <- err
		}()
		start := time.Now()
		err := sqlstore.Migrate(ctx, db)
		waited := time.Since(start)
		if rerr := <-released; rerr != nil {
			t.Fatalf("release the migration lock: %v", rerr)
		}
		if err != nil || waited < held {
			t.Errorf("Migrate() while another process held the lock for %s = %v after %s, want nil after the lock was released", held, err, waited)
		}
		checkMigrated(t, db, "after waiting for the lock")
	})
}

// TestMigrateGivesUpOnAStaleLock holds the lock for good, as a process
// that died while migrating would: Migrate fails when its context ends,
// with a message that says what to do.
func TestMigrateGivesUpOnAStaleLock(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		db := b.newDB(t)
		takeLock(t, db)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		err := sqlstore.Migrate(ctx, db)
		if err == nil || !strings.HasPrefix(err.Error(), "sqlstore: lock migrations ") || !strings.Contains(err.Error(), "bun_migration_locks") {
			t.Errorf("Migrate() while the lock is held for good: error = %v, want a %q error naming bun_migration_locks", err, "sqlstore: lock migrations")
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Migrate() while the lock is held for good: error = %v, want it to wrap %v", err, context.DeadlineExceeded)
		}
	})
}

// TestMigrateConcurrently starts several processes' worth of Migrate on
// one new database at the same moment, each with a pool of its own: all
// succeed, and each step ran exactly once. This is several instances
// starting together: creating bun's tables must not fail the slower one.
func TestMigrateConcurrently(t *testing.T) {
	run(t, []backend{sqliteFile, postgres}, func(t *testing.T, b backend) {
		url := b.url(t)
		const n = 4
		dbs := make([]*bun.DB, n)
		for i := range dbs {
			dbs[i] = b.open(t, url)
		}
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() {
				<-start
				errs[i] = sqlstore.Migrate(context.Background(), db)
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("concurrent Migrate() #%d error = %v, want nil", i, err)
			}
		}
		checkMigrated(t, dbs[0], "after concurrent Migrate calls")
	})
}
