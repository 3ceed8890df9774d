package database_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/database"
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
