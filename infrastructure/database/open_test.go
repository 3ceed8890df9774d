package database_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/infrastructure/database"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want database.DSN
	}{
		{"sqlite:users.db", database.DSN{Path: "users.db"}},
		{"sqlite:data/users.db", database.DSN{Path: "data/users.db"}},
		{"sqlite:/var/lib/gatehouse/users.db", database.DSN{Path: "/var/lib/gatehouse/users.db"}},
		{"sqlite::memory:", database.DSN{Memory: true}},
	}
	for _, tt := range tests {
		got, err := database.ParseURL(tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v, want %+v, nil", tt.raw, got, err, tt.want)
		}
		if s := got.String(); s != tt.raw {
			t.Errorf("ParseURL(%q).String() = %q, want the URL back", tt.raw, s)
		}
	}
}

func TestParseURLRejects(t *testing.T) {
	tests := []string{
		"",
		"users.db",
		"/var/lib/users.db",
		"sqlite:",
		"sqlite://users.db",
		"sqlite:///var/lib/users.db",
		"sqlite:users.db?_pragma=foreign_keys(0)",
		"sqlite:users.db#x",
		"sqlite:users\x00.db",
		"SQLITE:users.db",
		"sqlite3:users.db",
		"file:users.db",
		"postgres://gatehouse:s3cret@db.example/gatehouse",
	}
	for _, raw := range tests {
		_, err := database.ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) error = nil, want an error", raw)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "database: DATABASE_URL ") || !strings.Contains(msg, "sqlite:PATH or sqlite::memory:") {
			t.Errorf("ParseURL(%q) error = %q, want it to name the accepted forms", raw, msg)
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("ParseURL(%q) error = %q, must not repeat the URL's password", raw, msg)
		}
	}
}

func TestOpenRejectsBadURL(t *testing.T) {
	db, err := database.Open("postgres://localhost/gatehouse")
	if err == nil {
		db.Close()
		t.Fatal(`Open("postgres://localhost/gatehouse") error = nil, want an error until PostgreSQL is supported`)
	}
}

func TestOpenMemory(t *testing.T) {
	ctx := context.Background()
	db := mustOpen(t, "sqlite::memory:")
	assertPragmas(t, db, map[string]string{
		"busy_timeout": "5000",
		"foreign_keys": "1",
		"synchronous":  "2", // FULL
		"journal_mode": "memory",
	})
	if got := db.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("memory MaxOpenConnections = %d, want 1 so the database outlives every query", got)
	}

	// The data must survive from one statement to the next, and a second
	// Open must not see it.
	mustExec(t, db, "CREATE TABLE t (x INTEGER)")
	mustExec(t, db, "INSERT INTO t (x) VALUES (42)")
	var x int
	if err := db.NewRaw("SELECT x FROM t").Scan(ctx, &x); err != nil || x != 42 {
		t.Errorf("SELECT x FROM t = %d, %v, want 42, nil", x, err)
	}
	other := mustOpen(t, "sqlite::memory:")
	var n int
	if err := other.NewRaw("SELECT count(*) FROM sqlite_master WHERE name = 't'").Scan(ctx, &n); err != nil || n != 0 {
		t.Errorf("second memory database sees %d tables named t (err %v), want 0: each Open must be private", n, err)
	}
}

func TestOpenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.db")
	db := mustOpen(t, "sqlite:"+path)
	want := map[string]string{
		"busy_timeout": "5000",
		"foreign_keys": "1",
		"synchronous":  "2",
		"journal_mode": "wal",
	}
	// Settings are per connection: check two connections held at once.
	ctx := context.Background()
	var conns []bun.Conn
	for range 2 {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatalf("Conn() error = %v", err)
		}
		conns = append(conns, conn)
	}
	for i, conn := range conns {
		for name, value := range want {
			var got string
			if err := conn.NewRaw("PRAGMA "+name).Scan(ctx, &got); err != nil || got != value {
				t.Errorf("connection %d: PRAGMA %s = %q, %v, want %q", i, name, got, err, value)
			}
		}
		conn.Close()
	}
	if got := db.Stats().MaxOpenConnections; got != 4 {
		t.Errorf("file MaxOpenConnections = %d, want 4", got)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("Open(%q) did not create the file: %v", "sqlite:"+path, err)
	}
}

func TestOpenRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	mustOpen(t, "sqlite:users.db")
	if _, err := os.Stat(filepath.Join(dir, "users.db")); err != nil {
		t.Errorf(`Open("sqlite:users.db") did not create users.db in the working directory: %v`, err)
	}
}

func TestOpenPathWithPercent(t *testing.T) {
	dir := t.TempDir()
	mustOpen(t, "sqlite:"+filepath.Join(dir, "a%41.db"))
	if _, err := os.Stat(filepath.Join(dir, "a%41.db")); err != nil {
		t.Errorf("Open with %%41 in the path did not create a%%41.db (SQLite would decode it to aA.db): %v", err)
	}
}

func TestOpenFailsClearly(t *testing.T) {
	raw := "sqlite:" + filepath.Join(t.TempDir(), "missing", "users.db")
	db, err := database.Open(raw)
	if err == nil {
		db.Close()
		t.Fatalf("Open(%q) error = nil, want an error for a missing directory", raw)
	}
	if want := "database: open " + raw + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Open(%q) error = %q, want prefix %q", raw, err, want)
	}
}

func mustOpen(t *testing.T, raw string) *bun.DB {
	t.Helper()
	db, err := database.Open(raw)
	if err != nil {
		t.Fatalf("Open(%q) error = %v", raw, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t *testing.T, db *bun.DB, query string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func assertPragmas(t *testing.T, db *bun.DB, want map[string]string) {
	t.Helper()
	for name, value := range want {
		var got string
		if err := db.NewRaw("PRAGMA "+name).Scan(context.Background(), &got); err != nil || got != value {
			t.Errorf("PRAGMA %s = %q, %v, want %q", name, got, err, value)
		}
	}
}
