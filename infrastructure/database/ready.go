package database

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// readyTimeout bounds one readiness check, so a hung database makes the
// probe fail rather than hang.
const readyTimeout = 2 * time.Second

// Readiness tells whether the database can serve requests: it answers,
// the newest migration this binary embeds has been applied, and a write
// transaction can begin (another process holding SQLite's lock, a
// read-only file or a read-only PostgreSQL server all fail this). It
// never changes data: the probe's statement matches no row and is rolled
// back. A full disk is not seen here, since no page is written; writes
// then fail with 503 on their own.
type Readiness struct {
	db     *bun.DB
	newest string
}

// NewReadiness returns a Readiness for db.
func NewReadiness(db *bun.DB) (*Readiness, error) {
	ms, err := sqlstore.Migrations(db)
	if err != nil {
		return nil, err
	}
	sorted := ms.Sorted()
	if len(sorted) == 0 {
		return nil, errors.New("database: no migrations embedded")
	}
	return &Readiness{db: db, newest: sorted[len(sorted)-1].Name}, nil
}

// Check returns nil when the database is reachable and migrated, else an
// error that says which (meant for logs, never for the client).
func (r *Readiness) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := r.db.PingContext(ctx); err != nil {
		return fmt.Errorf("database: ping: %w", err)
	}
	// Read bun's table directly: sqlstore.AppliedMigrations would create
	// it when missing, and a probe must never write.
	applied, err := migrate.NewMigrator(r.db, migrate.NewMigrations()).AppliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("database: read applied migrations: %w", err)
	}
	if !slices.ContainsFunc(applied, func(m migrate.Migration) bool { return m.Name == r.newest }) {
		return fmt.Errorf("database: migration %s not applied yet", r.newest)
	}
	return r.canWrite(ctx)
}

// canWrite begins a transaction and runs an UPDATE that matches nothing,
// which still takes the database's write lock, then rolls back.
func (r *Readiness) canWrite(ctx context.Context) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // nothing to undo; the probe changed no row
	if _, err := tx.ExecContext(ctx, "UPDATE bun_migration_locks SET table_name = table_name WHERE 1 = 0"); err != nil {
		return fmt.Errorf("database: write probe: %w", err)
	}
	return nil
}
