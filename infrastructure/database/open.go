// Package database opens the SQL database that DATABASE_URL names. Today
// that is SQLite through the pure-Go driver modernc.org/sqlite; PostgreSQL
// comes later and will be one more form of the URL.
package database

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	// The driver registers itself as "sqlite".
	_ "modernc.org/sqlite"
)

// urlForms names the DATABASE_URL values Open accepts, for error messages.
const urlForms = "sqlite:PATH or sqlite::memory:"

// fileMaxOpenConns is the pool size for a database file. WAL lets readers
// run beside the one writer; more connections would only queue on the
// write lock.
const fileMaxOpenConns = 4

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

// DSN is a validated DATABASE_URL.
type DSN struct {
	// Path is the database file, relative to the working directory or
	// absolute; it is empty for an in-memory database.
	Path string
	// Memory reports an in-memory database that lives as long as the
	// *bun.DB that Open returns.
	Memory bool
}

// ParseURL checks that rawURL has one of the forms Open accepts:
// "sqlite:PATH" (relative or absolute) or "sqlite::memory:". The error
// names the expected forms and never repeats rawURL, which for other
// databases may carry a password.
func ParseURL(rawURL string) (DSN, error) {
	path, ok := strings.CutPrefix(rawURL, "sqlite:")
	switch {
	case rawURL == "":
		return DSN{}, badURL("is empty")
	case !ok:
		return DSN{}, badURL("has an unsupported scheme")
	case path == ":memory:":
		return DSN{Memory: true}, nil
	case path == "":
		return DSN{}, badURL("has no path")
	case strings.HasPrefix(path, "//"):
		return DSN{}, badURL(`has a host part ("sqlite://"); write an absolute path as sqlite:/path`)
	case strings.ContainsAny(path, "?#\x00"):
		return DSN{}, badURL("has a '?', '#' or NUL in its path; settings are not accepted in the URL")
	}
	return DSN{Path: path}, nil
}

// String returns the DATABASE_URL that d stands for.
func (d DSN) String() string {
	if d.Memory {
		return "sqlite::memory:"
	}
	return "sqlite:" + d.Path
}

// Open opens the database that rawURL names and checks that it answers.
// Every connection waits for locks, enforces foreign keys and begins
// transactions with the write lock; a file database runs in WAL mode with
// a small pool. An in-memory database is private to the returned *bun.DB
// and lives on one connection that is never closed while the *bun.DB is
// open, so its data is not lost between queries.
func Open(rawURL string) (*bun.DB, error) {
	dsn, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	sqldb, err := sql.Open("sqlite", dsn.driverName())
	if err != nil {
		return nil, fmt.Errorf("database: open %s: %w", dsn, err)
	}
	if dsn.Memory {
		// Each connection to the shared-cache name sees the same data, and
		// the data goes when the last one closes: keep exactly one, forever.
		// One connection also means no shared-cache table locks.
		sqldb.SetMaxOpenConns(1)
		sqldb.SetMaxIdleConns(1)
		sqldb.SetConnMaxLifetime(0)
		sqldb.SetConnMaxIdleTime(0)
	} else {
		sqldb.SetMaxOpenConns(fileMaxOpenConns)
		sqldb.SetMaxIdleConns(fileMaxOpenConns)
	}
	if err := sqldb.Ping(); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("database: open %s: %w", dsn, err)
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
		params = append([]string{"_pragma=journal_mode(WAL)"}, params...)
	}
	return name + "?" + strings.Join(params, "&")
}

// badURL reports a DATABASE_URL with problem and names the forms Open
// accepts.
func badURL(problem string) error {
	return fmt.Errorf("database: DATABASE_URL %s; it must look like %s", problem, urlForms)
}
