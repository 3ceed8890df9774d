package database_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/pgtest"
)

func TestReadinessFollowsTheDatabase(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, "sqlite::memory:")
	r, err := database.NewReadiness(db)
	if err != nil {
		t.Fatalf("NewReadiness() error = %v", err)
	}
	if err := r.Check(ctx); err == nil {
		t.Errorf("Check() on an unmigrated database = nil, want an error: the schema is not there yet")
	}
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	if err := r.Check(ctx); err != nil {
		t.Errorf("Check() on a migrated database = %v, want nil", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	if err := r.Check(ctx); err == nil {
		t.Errorf("Check() on a closed database = nil, want an error")
	}
}

// TestReadinessPostgres checks the same on PostgreSQL, and that a server
// that takes no writes (a read-only replica, say) is not ready.
func TestReadinessPostgres(t *testing.T) {
	ctx := context.Background()
	raw := pgtest.Schema(t)
	db, err := database.Open(raw)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := database.NewReadiness(db)
	if err != nil {
		t.Fatalf("NewReadiness() error = %v", err)
	}
	if err := r.Check(ctx); err == nil {
		t.Errorf("Check() on an unmigrated database = nil, want an error")
	}
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	if err := r.Check(ctx); err != nil {
		t.Errorf("Check() on a migrated database = %v, want nil", err)
	}

	readOnly, err := database.Open(pgtest.WithParams(t, raw, "default_transaction_read_only", "on"))
	if err != nil {
		t.Fatal(err)
	}
	defer readOnly.Close()
	r, err = database.NewReadiness(readOnly)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Check(ctx); err == nil {
		t.Errorf("Check() on a read-only connection = nil, want an error: writes would fail")
	}
}
