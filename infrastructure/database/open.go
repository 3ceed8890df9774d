// Package database opens the SQL database that DATABASE_URL names: SQLite
// through the pure-Go driver modernc.org/sqlite, or a PostgreSQL server
// through bun's pure-Go pgdriver. Either way the result is a *bun.DB with
// the matching dialect, and adapter/sqlstore runs the same repositories on
// it.
package database

import (
	"log/slog"

	"github.com/uptrace/bun"
)

// Open opens the database that rawURL names with the default pool for it
// and checks that it answers; see OpenWith.
func Open(rawURL string) (*bun.DB, error) {
	return OpenWith(rawURL, Pool{})
}

// OpenWith opens the database that rawURL names, sizes its pool with pool
// (zero fields take the defaults, see ResolvePool), and checks that it
// answers. Errors never repeat a password. Warnings go to slog's default
// logger.
//
// For SQLite, every connection waits for locks, enforces foreign keys and
// begins transactions with the write lock; a file database runs in WAL
// mode, and it and its -wal and -shm files are readable by their owner
// only (a file created 0600; an existing one that others may read is
// tightened, with a warning). An in-memory database is private to the
// returned *bun.DB and lives on one connection that is never closed while
// the *bun.DB is open, so its data is not lost between queries.
func OpenWith(rawURL string, pool Pool) (*bun.DB, error) {
	return openWith(rawURL, pool, slog.Default())
}

// openWith is OpenWith with the logger for its warnings.
func openWith(rawURL string, pool Pool, log *slog.Logger) (*bun.DB, error) {
	dsn, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	pool, err = ResolvePool(dsn, pool)
	if err != nil {
		return nil, err
	}
	if dsn.Kind == Postgres {
		return openPostgres(dsn, pool)
	}
	return openSQLite(dsn, pool, log)
}
