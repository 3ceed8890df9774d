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

// credentialVersionStep is the migration that gives accounts and
// sessions their credential version.
const credentialVersionStep = "20261205000001_"

// TestMigrateCredentialVersionKeepsSessions upgrades a database that
// holds an account and its session from before credentialVersionStep:
// both come out at version 1, so the session still counts, and a new
// password moves the account to 2. Rolling the step back loses no row.
func TestMigrateCredentialVersionKeepsSessions(t *testing.T) {
	ctx := context.Background()
	db := databaseBefore(t, credentialVersionStep)
	h := hashOf(1)
	exec(t, db, "INSERT INTO users (username, username_canonical, password_hash, created_at) VALUES ('Alice', 'alice', 'h', ?)", t0.UnixMilli())
	exec(t, db, "INSERT INTO sessions (token_hash, user_id, persistent, created_at, last_seen_at, expires_at, absolute_expires_at)"+
		" VALUES (?, 1, 1, ?, ?, ?, ?)", h[:], t0.UnixMilli(), t0.UnixMilli(), t0.Add(time.Hour).UnixMilli(), t0.Add(time.Hour).UnixMilli())

	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() over an older schema error = %v", err)
	}
	s, u, err := sqlstore.NewSessionStore(db).ByTokenHashWithUser(ctx, h)
	if err != nil || s.CredentialVersion != domain.FirstCredentialVersion || u.CredentialVersion != domain.FirstCredentialVersion || !s.Current(u) {
		t.Errorf("ByTokenHashWithUser() after Migrate = session version %d, account version %d, %v; want both %d",
			s.CredentialVersion, u.CredentialVersion, err, domain.FirstCredentialVersion)
	}
	if v, err := sqlstore.NewUserStore(db).SetPassword(ctx, u.ID, "h2", false); err != nil || v != domain.FirstCredentialVersion+1 {
		t.Errorf("SetPassword() after Migrate = %d, %v; want %d", v, err, domain.FirstCredentialVersion+1)
	}

	all := migrate.NewMigrations()
	if err := all.Discover(os.DirFS("migrations/sqlite")); err != nil {
		t.Fatalf("Discover(migrations/sqlite) error = %v", err)
	}
	if _, err := migrate.NewMigrator(db, all).Rollback(ctx); err != nil { // the last group: credentialVersionStep and any after it
		t.Fatalf("Rollback(%s) error = %v", credentialVersionStep, err)
	}
	var cols, rows int
	scan(t, db, &cols, "SELECT (SELECT count(*) FROM pragma_table_info('users') WHERE name = 'credential_version')"+
		" + (SELECT count(*) FROM pragma_table_info('sessions') WHERE name = 'credential_version')")
	scan(t, db, &rows, "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM sessions)")
	if cols != 0 || rows != 2 {
		t.Errorf("after rolling back %s: %d credential_version columns, %d rows, want 0 and 2", credentialVersionStep, cols, rows)
	}
}
