package sqlstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/database"
)

// t0 has nanoseconds on purpose: the store keeps milliseconds.
var t0 = time.Date(2026, 11, 26, 10, 0, 0, 123_456_789, time.UTC)

// newDB returns a migrated in-memory database private to t.
func newDB(t *testing.T) *bun.DB {
	t.Helper()
	return openMigrated(t, "sqlite::memory:")
}

// newFileDB returns a migrated database file private to t.
func newFileDB(t *testing.T) *bun.DB {
	t.Helper()
	return openMigrated(t, "sqlite:"+filepath.Join(t.TempDir(), "gatehouse.db"))
}

func openMigrated(t *testing.T, url string) *bun.DB {
	t.Helper()
	db, err := database.Open(url)
	if err != nil {
		t.Fatalf("database.Open(%q) error = %v", url, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := sqlstore.Migrate(context.Background(), db); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	return db
}

func username(t *testing.T, raw string) domain.Username {
	t.Helper()
	name, err := domain.NewUsername(raw)
	if err != nil {
		t.Fatalf("NewUsername(%q) error = %v", raw, err)
	}
	return name
}

// createUser stores an account named raw and returns it.
func createUser(t *testing.T, users *sqlstore.UserStore, raw string) domain.User {
	t.Helper()
	u, err := users.Create(context.Background(), domain.User{
		Username:     username(t, raw),
		PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		CreatedAt:    t0,
	})
	if err != nil {
		t.Fatalf("Create(%q) error = %v", raw, err)
	}
	return u
}

// hashOf returns a distinct token hash for each seed.
func hashOf(seed byte) domain.TokenHash {
	return domain.NewToken([domain.TokenBytes]byte{seed}).Hash()
}

// ms truncates t to what the store keeps: UTC milliseconds.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

// jst is a zone other than UTC, to show that the store returns UTC.
var jst = time.FixedZone("JST", 9*60*60)
