package sqlstore_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/uptrace/bun/migrate"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// previousLoginStep is the migration that lets sessions keep their
// previous login.
const previousLoginStep = "20261126000005_"

// TestMigratePreviousLoginKeepsSessions upgrades a database that holds a
// session from before previousLoginStep, then rolls that step back: the
// session stays logged in and does not know its previous login (so it is
// looked up as before), and neither direction loses a row.
func TestMigratePreviousLoginKeepsSessions(t *testing.T) {
	ctx := context.Background()
	db := databaseBefore(t, previousLoginStep)
	h := hashOf(1)
	exec(t, db, "INSERT INTO users (username, username_canonical, password_hash, created_at) VALUES ('Alice', 'alice', 'h', ?)", t0.UnixMilli())
	exec(t, db, "INSERT INTO sessions (token_hash, user_id, persistent, created_at, last_seen_at, expires_at, absolute_expires_at, ip)"+
		" VALUES (?, 1, 1, ?, ?, ?, ?, '192.0.2.1')", h[:], t0.UnixMilli(), t0.UnixMilli(), t0.Add(time.Hour).UnixMilli(), t0.Add(time.Hour).UnixMilli())

	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() over an older schema error = %v", err)
	}
	s, err := sqlstore.NewSessionStore(db).ByTokenHash(ctx, h)
	if err != nil || s.UserID != 1 || s.IP != "192.0.2.1" || !s.Persistent || s.PreviousLogin != (domain.PreviousLogin{}) {
		t.Errorf("ByTokenHash() after Migrate = %+v, %v; want alice's session, its previous login unknown", s, err)
	}

	all := migrate.NewMigrations()
	if err := all.Discover(os.DirFS("migrations/sqlite")); err != nil {
		t.Fatalf("Discover(migrations/sqlite) error = %v", err)
	}
	if _, err := migrate.NewMigrator(db, all).Rollback(ctx); err != nil { // the last group: previousLoginStep and the steps after it
		t.Fatalf("Rollback(%s) error = %v", previousLoginStep, err)
	}
	var cols, rows int
	scan(t, db, &cols, "SELECT count(*) FROM pragma_table_info('sessions') WHERE name LIKE 'previous_login%'")
	scan(t, db, &rows, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions)")
	if cols != 0 || rows != 2 {
		t.Errorf("after rolling back %s: %d previous_login columns, %d rows, want 0 and 2", previousLoginStep, cols, rows)
	}
}
