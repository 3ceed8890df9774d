package database

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	// The driver registers itself as "sqlite".
	_ "modernc.org/sqlite"
)

// connParams are the modernc.org/sqlite DSN parameters every connection
// gets: wait up to 5 s for a lock instead of failing at once, enforce
// foreign keys, sync fully at commit (an acknowledged login survives a
// power cut), and take the write lock at BEGIN so a transaction never
// fails to upgrade from reader to writer halfway through.
var connParams = []string{
	"_pragma=busy_timeout(5000)",
	"_pragma=foreign_keys(1)",
	"_pragma=synchronous(FULL)",
	"_txlock=immediate",
}

// fileCacheParam gives each connection to a database file a page cache
// of up to 16 MiB (SQLite's default is 2 MiB; the pages are allocated as
// they are read, so an idle server holds none). With a million accounts,
// the pages that a thousand signed-in users' requests touch (index and
// table leaves for the session, the account) are about 12 MB: in 2 MiB
// nearly every lookup read pages from the operating system again, and
// those reads were 11% of the CPU of GET / (test/bench row (h)). The
// pool's 4 connections may hold 64 MiB at most.
const fileCacheParam = "_pragma=cache_size(-16384)"

// openSQLite opens the SQLite database d with pool, already resolved. A
// database file is made readable by its owner only first (see
// prepareSQLiteFile), with warnings on log.
func openSQLite(d DSN, pool Pool, log *slog.Logger) (*bun.DB, error) {
	if !d.Memory {
		if err := prepareSQLiteFile(d.Path, log); err != nil {
			return nil, fmt.Errorf("database: open %s: %w", d, err)
		}
	}
	sqldb, err := sql.Open("sqlite", d.driverName())
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", d, err)
	}
	// For an in-memory database, each connection to the shared-cache name
	// sees the same data, and the data goes when the last one closes: the
	// pool keeps exactly one, forever. One connection also means no
	// shared-cache table locks.
	sqldb.SetMaxOpenConns(pool.MaxOpenConns)
	sqldb.SetMaxIdleConns(pool.MaxIdleConns)
	sqldb.SetConnMaxLifetime(pool.ConnMaxLifetime)
	sqldb.SetConnMaxIdleTime(0)
	if err := sqldb.Ping(); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("database: open %s: %w", d, err)
	}
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// driverName returns the modernc.org/sqlite data source name for d. An
// in-memory database gets a random shared-cache name, so two Opens never
// share data.
func (d DSN) driverName() string {
	params := connParams
	var name string
	if d.Memory {
		var b [16]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
		name = "file:gatehouse-" + hex.EncodeToString(b[:])
		params = append([]string{"mode=memory", "cache=shared"}, params...)
	} else {
		// A SQLite URI percent-decodes its path.
		name = "file:" + strings.ReplaceAll(d.Path, "%", "%25")
		params = append([]string{"_pragma=journal_mode(WAL)", fileCacheParam}, params...)
	}
	return name + "?" + strings.Join(params, "&")
}
