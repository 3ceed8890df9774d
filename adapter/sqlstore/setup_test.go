package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/domain"
)

// The store's behaviour is specified once for every database, in the
// contract suite of test/contract. The tests here cover what is SQLite's
// or PostgreSQL's own: the migration files and the upgrade of an older
// SQLite schema.

// t0 has nanoseconds on purpose: the store keeps milliseconds.
var t0 = time.Date(2026, 11, 26, 10, 0, 0, 123_456_789, time.UTC)

func username(t *testing.T, raw string) domain.Username {
	t.Helper()
	name, err := domain.NewUsername(raw)
	if err != nil {
		t.Fatalf("NewUsername(%q) error = %v", raw, err)
	}
	return name
}

// hashOf returns a distinct token hash for each seed.
func hashOf(seed byte) domain.TokenHash {
	return domain.NewToken([domain.TokenBytes]byte{seed}).Hash()
}

// ms truncates t to what the store keeps: UTC milliseconds.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

func exec(t *testing.T, db *bun.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func scan(t *testing.T, db *bun.DB, dst any, query string, args ...any) {
	t.Helper()
	if err := db.NewRaw(query, args...).Scan(context.Background(), dst); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}
