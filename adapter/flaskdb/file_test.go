package flaskdb_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/gatehouse/gatehouse/adapter/flaskdb"
)

// seedSchema is the table the Flask app creates.
const seedSchema = `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT,
 username TEXT UNIQUE NOT NULL, password TEXT NOT NULL)`

// makeDB creates a SQLite file in a temporary directory by running stmts.
func makeDB(t *testing.T, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return path
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.db")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestOpenRejects(t *testing.T) {
	tests := []struct {
		name    string
		path    func(t *testing.T) string
		want    error
		wantMsg string
	}{
		{"missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.db") }, flaskdb.ErrNoFile, "no such file"},
		{"directory", func(t *testing.T) string { return t.TempDir() }, flaskdb.ErrNotSQLite, "is a directory"},
		{"text file", func(t *testing.T) string { return writeFile(t, "username,password\nalice,secret\n") }, flaskdb.ErrNotSQLite, "not a SQLite database"},
		{"short file", func(t *testing.T) string { return writeFile(t, "SQL") }, flaskdb.ErrNotSQLite, "not a SQLite database"},
		{"empty file", func(t *testing.T) string { return writeFile(t, "") }, flaskdb.ErrNoUsersTable, "no users table"},
		{"other tables only", func(t *testing.T) string { return makeDB(t, "CREATE TABLE notes (id INTEGER, body TEXT)") }, flaskdb.ErrNoUsersTable, "no users table"},
		{"no password column", func(t *testing.T) string {
			return makeDB(t, "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, hash TEXT)")
		}, flaskdb.ErrUnexpectedSchema, "no column password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			f, err := flaskdb.Open(context.Background(), path)
			if err == nil {
				f.Close()
				t.Fatalf("Open(%s) error = nil, want %v", tt.name, tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("Open(%s) error = %v, want one wrapping %v", tt.name, err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "flaskdb: ") || !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, path) {
				t.Errorf("Open(%s) error = %q, want the prefix, %q and the path", tt.name, msg, tt.wantMsg)
			}
		})
	}
}

func TestRowsStreamsInIDOrder(t *testing.T) {
	path := makeDB(t, seedSchema,
		"INSERT INTO users (id, username, password) VALUES (3, 'carol', 'c-pass'), (1, 'alice', 'a-pass'), (2, 'Bob', 'b pass ünï')",
	)
	f, err := flaskdb.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(seed database) error = %v", err)
	}
	defer f.Close()
	n, err := f.Count(context.Background())
	if err != nil || n != 3 {
		t.Errorf("Count() = %d, %v, want 3, nil", n, err)
	}
	var got []flaskdb.Row
	for r, err := range f.Rows(context.Background()) {
		if err != nil {
			t.Fatalf("Rows() error = %v", err)
		}
		got = append(got, r)
	}
	want := []flaskdb.Row{{ID: 1, Username: "alice", Password: "a-pass"}, {ID: 2, Username: "Bob", Password: "b pass ünï"}, {ID: 3, Username: "carol", Password: "c-pass"}}
	if len(got) != len(want) {
		t.Fatalf("Rows() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Rows()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestRowsStopsEarly(t *testing.T) {
	path := makeDB(t, seedSchema, "INSERT INTO users (username, password) VALUES ('a1a', 'x'), ('b2b', 'y'), ('c3c', 'z')")
	f, err := flaskdb.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := 0
	for _, err := range f.Rows(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		seen++
		break
	}
	if seen != 1 {
		t.Errorf("Rows() after break yielded %d rows, want 1", seen)
	}
	// The connection went back to the pool: the file can still be read.
	if _, err := f.Count(context.Background()); err != nil {
		t.Errorf("Count() after an early stop error = %v", err)
	}
}

func TestOpenAcceptsExtraColumnsAndOddPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "50% off?#")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "users.db")
	src := makeDB(t, "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, password TEXT, email TEXT)",
		"INSERT INTO users (username, password, email) VALUES ('dave', 'pw', 'd@example.com')")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := flaskdb.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%q) error = %v, want the file opened", path, err)
	}
	defer f.Close()
	if n, err := f.Count(context.Background()); err != nil || n != 1 {
		t.Errorf("Count() = %d, %v, want 1, nil", n, err)
	}
}

// TestOpenIsReadOnly protects the Flask app's data: reading leaves the
// file byte for byte as it was and creates no journal beside it.
func TestOpenIsReadOnly(t *testing.T) {
	path := makeDB(t, seedSchema, "INSERT INTO users (username, password) VALUES ('erin', 'pw')")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := flaskdb.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range f.Rows(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("reading %s changed the file", path)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("reading %s left files beside it: %v", path, entries)
	}
}
