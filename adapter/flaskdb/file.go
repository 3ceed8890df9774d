// Package flaskdb reads the users.db written by the Flask login app that
// gatehouse replaces: one table, users(id, username, password), with the
// passwords in plaintext. It opens the file read-only and never changes it.
//
// It trusts nothing in the file: users must be a plain table (a view or a
// virtual table would run the file's own SQL), the connection runs with
// trusted_schema off and query_only on, every value is measured in SQL
// before it is read, and all reads of one file share a time budget, so a
// hostile or broken file fails the import with a clear error instead of
// filling the memory or spinning forever.
package flaskdb

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	// The driver registers itself as "sqlite".
	_ "modernc.org/sqlite"
)

// The errors Open returns for a file it cannot read as the Flask app's
// database; each is wrapped with the file's path.
var (
	// ErrNoFile reports that the path names no file.
	ErrNoFile = errors.New("flaskdb: no such file")
	// ErrNotSQLite reports a file that is not a SQLite database.
	ErrNotSQLite = errors.New("flaskdb: not a SQLite database")
	// ErrNoUsersTable reports a SQLite database without a users table.
	ErrNoUsersTable = errors.New("flaskdb: no users table (is this the Flask app's users.db?)")
	// ErrUnexpectedSchema reports a users table without the columns the
	// Flask app writes, or with columns it never writes (generated ones,
	// or one that hides the rowid).
	ErrUnexpectedSchema = errors.New("flaskdb: unexpected users table")
	// ErrNotATable reports a users that is a view or a virtual table:
	// reading it would run SQL or code that the file chose.
	ErrNotATable = errors.New("flaskdb: users is not a table")
	// ErrTooSlow reports a file whose reads used up Limits.ReadTime.
	ErrTooSlow = errors.New("flaskdb: reading took too long")
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// columns are the users columns the Flask app writes and Rows reads.
var columns = []string{"id", "username", "password"}

// File is an open users.db of the Flask app, read-only. One goroutine at
// a time uses it.
type File struct {
	db     *sql.DB
	path   string
	limits Limits
	// spent is the time the reads of the file have taken so far.
	spent time.Duration
}

// Open opens the database at path with DefaultLimits; see OpenWith.
func Open(ctx context.Context, path string) (*File, error) {
	return OpenWith(ctx, path, DefaultLimits)
}

// OpenWith opens the database at path read-only, with limits (zero fields
// take DefaultLimits'), and checks that it has the Flask app's users
// table. The errors for a missing file, a file that is not SQLite, a
// database without the table, a users that is a view or virtual table, a
// table without the expected columns and a file too slow to read wrap
// ErrNoFile, ErrNotSQLite, ErrNoUsersTable, ErrNotATable,
// ErrUnexpectedSchema and ErrTooSlow.
func OpenWith(ctx context.Context, path string, limits Limits) (*File, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("flaskdb: open %s: %w", path, err)
	}
	// One connection: the pragmas of the DSN hold for every statement,
	// and Rows and Count never read concurrently anyway.
	db.SetMaxOpenConns(1)
	f := &File{db: db, path: path, limits: limits.resolve()}
	if err := f.checkSchema(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return f, nil
}

// Path returns the file's path as given to Open.
func (f *File) Path() string { return f.path }

// Close closes the database.
func (f *File) Close() error {
	if err := f.db.Close(); err != nil {
		return fmt.Errorf("flaskdb: close %s: %w", f.path, err)
	}
	return nil
}

// dsn is the modernc.org/sqlite name that opens path read-only; it waits
// for a lock held by the Flask app instead of failing at once. With
// trusted_schema off, a function that is not innocuous cannot run from
// the file's schema (a generated column, an index expression); with
// query_only on, no statement on the connection writes, whatever it is.
// The file is not opened immutable: the Flask app may still be running,
// and immutable would skip its locks and its -wal file.
func dsn(path string) string {
	// A SQLite URI percent-decodes its path and ends it at '?' or '#'.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?mode=ro&_pragma=busy_timeout(5000)&_pragma=trusted_schema(0)&_pragma=query_only(1)"
}

// checkHeader tells a missing file, a directory and a file of another
// kind apart before SQLite sees them. An empty file is an empty database
// to SQLite; checkSchema then finds no users table.
func checkHeader(path string) error {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNoFile, path)
	}
	if err != nil {
		return fmt.Errorf("flaskdb: %w", err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return fmt.Errorf("flaskdb: %w", err)
	}
	if info.IsDir() {
		return fmt.Errorf("%w: %s is a directory", ErrNotSQLite, path)
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(file, head)
	switch {
	case n == 0 && errors.Is(err, io.EOF):
		return nil
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("flaskdb: read %s: %w", path, err)
	case !bytes.Equal(head[:n], sqliteHeader):
		return fmt.Errorf("%w: %s", ErrNotSQLite, path)
	}
	return nil
}
