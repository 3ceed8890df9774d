// Package flaskdb reads the users.db written by the Flask login app that
// gatehouse replaces: one table, users(id, username, password), with the
// passwords in plaintext. It opens the file read-only and never changes it.
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
	// Flask app writes.
	ErrUnexpectedSchema = errors.New("flaskdb: unexpected users table")
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// columns are the users columns the Flask app writes and Rows reads.
var columns = []string{"id", "username", "password"}

// File is an open users.db of the Flask app, read-only.
type File struct {
	db   *sql.DB
	path string
}

// Open opens the database at path read-only and checks that it has the
// Flask app's users table. The errors for a missing file, a file that is
// not SQLite and a database without the table wrap ErrNoFile,
// ErrNotSQLite, ErrNoUsersTable and ErrUnexpectedSchema.
func Open(ctx context.Context, path string) (*File, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("flaskdb: open %s: %w", path, err)
	}
	f := &File{db: db, path: path}
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
// for a lock held by the Flask app instead of failing at once.
func dsn(path string) string {
	// A SQLite URI percent-decodes its path and ends it at '?' or '#'.
	escaped := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + escaped + "?mode=ro&_pragma=busy_timeout(5000)"
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

// checkSchema checks that the users table exists and has the columns
// Rows reads; other columns are allowed.
func (f *File) checkSchema(ctx context.Context) error {
	rows, err := f.db.QueryContext(ctx, "SELECT name FROM pragma_table_info('users')")
	if err != nil {
		return fmt.Errorf("flaskdb: read the schema of %s: %w", f.path, err)
	}
	defer rows.Close()
	have := make(map[string]bool)
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("flaskdb: read the schema of %s: %w", f.path, err)
		}
		have[strings.ToLower(name)] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("flaskdb: read the schema of %s: %w", f.path, err)
	}
	if len(have) == 0 {
		return fmt.Errorf("%w: %s", ErrNoUsersTable, f.path)
	}
	var missing []string
	for _, c := range columns {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s: users has no column %s", ErrUnexpectedSchema, f.path, strings.Join(missing, ", "))
	}
	return nil
}
