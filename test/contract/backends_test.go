package contract

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/pgtest"
)

// backend is one store the contract runs against.
type backend struct {
	// name names the subtests.
	name string
	// url returns a DATABASE_URL for a new, empty database private to t.
	url func(t *testing.T) string
}

// isPostgres reports whether b is a PostgreSQL server.
func (b backend) isPostgres() bool { return b.name == "postgres" }

// newDB returns a migrated database of b's kind, private to t.
func (b backend) newDB(t *testing.T) *bun.DB {
	t.Helper()
	db := b.open(t, b.url(t))
	if err := sqlstore.Migrate(context.Background(), db); err != nil {
		t.Fatalf("Migrate() on %s error = %v", b.name, err)
	}
	return db
}

// open opens url, closing it when t ends.
func (b backend) open(t *testing.T, url string) *bun.DB {
	t.Helper()
	db, err := database.Open(url)
	if err != nil {
		t.Fatalf("database.Open(%s) error = %v", database.Redact(url), err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var (
	sqliteMemory = backend{name: "sqlite", url: func(*testing.T) string { return "sqlite::memory:" }}
	sqliteFile   = backend{name: "sqlite-file", url: func(t *testing.T) string {
		return "sqlite:" + filepath.Join(t.TempDir(), "gatehouse.db")
	}}
	postgres = backend{name: "postgres", url: func(t *testing.T) string { return pgtest.Schema(t) }}
)

// forEachStore runs f as a parallel subtest for SQLite in memory and for
// PostgreSQL; without TEST_POSTGRES_URL the postgres subtest skips.
func forEachStore(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	run(t, []backend{sqliteMemory, postgres}, f)
}

// forEachConcurrentStore runs f like forEachStore, and also for a SQLite
// file, whose pool holds several connections: tests of concurrent writes
// mean little on the single connection of an in-memory database.
func forEachConcurrentStore(t *testing.T, f func(t *testing.T, b backend)) {
	t.Helper()
	run(t, []backend{sqliteMemory, sqliteFile, postgres}, f)
}

func run(t *testing.T, backends []backend, f func(t *testing.T, b backend)) {
	t.Helper()
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.isPostgres() {
				pgtest.URL(t) // skips without a server
			}
			t.Parallel()
			f(t, b)
		})
	}
}
