package database_test

import (
	"context"
	"fmt"
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
		{"sqlite:users.db", database.DSN{Kind: database.SQLite, Path: "users.db"}},
		{"sqlite:data/users.db", database.DSN{Kind: database.SQLite, Path: "data/users.db"}},
		{"sqlite:/var/lib/gatehouse/users.db", database.DSN{Kind: database.SQLite, Path: "/var/lib/gatehouse/users.db"}},
		{"sqlite::memory:", database.DSN{Kind: database.SQLite, Memory: true}},
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

func TestParseURLPostgres(t *testing.T) {
	tests := []struct {
		raw, want string // want: String(), with the password redacted
	}{
		{"postgres://gatehouse:s3cret@db.example/gatehouse", "postgres://gatehouse:xxxxx@db.example/gatehouse"},
		{"postgresql://gatehouse:s3cret@db.example:5433/gatehouse", "postgresql://gatehouse:xxxxx@db.example:5433/gatehouse"},
		{"postgres://gatehouse@127.0.0.1:5432/gatehouse?sslmode=disable", "postgres://gatehouse@127.0.0.1:5432/gatehouse?sslmode=disable"},
		{"postgres://gatehouse:p%40ss%2Fw%3Ard@[::1]:5432/gatehouse?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem",
			"postgres://gatehouse:xxxxx@[::1]:5432/gatehouse?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem"},
		{"postgres://gatehouse:s3cret@db/gatehouse?sslmode=require&connect_timeout=5&read_timeout=30s&application_name=gatehouse",
			"postgres://gatehouse:xxxxx@db/gatehouse?sslmode=require&connect_timeout=5&read_timeout=30s&application_name=gatehouse"},
		{"postgres://gatehouse:s3cret@db/gatehouse?search_path=auth&statement_timeout=5000",
			"postgres://gatehouse:xxxxx@db/gatehouse?search_path=auth&statement_timeout=5000"},
		{"postgres://gatehouse:s3cret@/gatehouse?host=/run/postgresql", "postgres://gatehouse:xxxxx@/gatehouse?host=/run/postgresql"},
	}
	for _, tt := range tests {
		got, err := database.ParseURL(tt.raw)
		if err != nil || got.Kind != database.Postgres || got.Path != "" || got.Memory {
			t.Errorf("ParseURL(%s) = %+v, %v, want a PostgreSQL DSN", tt.want, got, err)
		}
		if s := got.String(); s != tt.want {
			t.Errorf("ParseURL(%s).String() = %q, want %q", tt.want, s, tt.want)
		}
		if s := fmt.Sprintf("%v %+v %s", got, got, got); strings.Contains(s, "s3cret") {
			t.Errorf("formatting ParseURL(%s) = %q, must not show the password", tt.want, s)
		}
	}
}

func TestParseURLRejects(t *testing.T) {
	tests := []struct {
		raw     string
		problem string // part of the error
	}{
		{"", "is empty"},
		{"users.db", "unsupported scheme"},
		{"/var/lib/users.db", "unsupported scheme"},
		{"sqlite:", "has no path"},
		{"sqlite://users.db", "host part"},
		{"sqlite:///var/lib/users.db", "host part"},
		{"sqlite:users.db?_pragma=foreign_keys(0)", "settings are not accepted"},
		{"sqlite:users.db#x", "settings are not accepted"},
		{"sqlite:users\x00.db", "settings are not accepted"},
		{"SQLITE:users.db", "unsupported scheme"},
		{"sqlite3:users.db", "unsupported scheme"},
		{"file:users.db", "unsupported scheme"},
		{"mysql://gatehouse:s3cret@db/gatehouse", "unsupported scheme"},
		{"POSTGRES://gatehouse:s3cret@db/gatehouse", "unsupported scheme"},
		{"postgres://gatehouse:s3cret@/gatehouse", "names no host"},
		{"postgres://gatehouse:s3cret@db", "names no database"},
		{"postgres://gatehouse:s3cret@db/", "names no database"},
		{"postgres://gatehouse:s3cret@db/a/b", "names no database"},
		{"postgres://gatehouse:s3cret@db:0/gatehouse", "port"},
		{"postgres://gatehouse:s3cret@db:99999/gatehouse", "port"},
		{"postgres://gatehouse:s3cret@db:pg/gatehouse", "valid URL"},
		{"postgres://gatehouse:s3c%ret@db/gatehouse", "valid URL"},
		{"postgres://gatehouse:s3cret@db/gatehouse#frag", "'#'"},
		{"postgres://gatehouse:s3cret@db/gatehouse?sslmode=prefer", "sslmode"},
		{"postgres://gatehouse:s3cret@db/gatehouse?sslmode=bogus", "sslmode"},
		{"postgres://gatehouse:s3cret@db/gatehouse?connect_timeout=soon", "connect_timeout"},
		{"postgres://gatehouse:s3cret@db/gatehouse?read_timeout=5x", "read_timeout"},
		{"postgres://gatehouse@db/gatehouse?password=s3cret", "password parameter"},
		{"postgres://gatehouse:s3cret@db/gatehouse?search_path%3Dx%3BDROP=1", "parameter"},
		{"postgres://gatehouse:s3cret@db/gatehouse?Bad-Name=1", "parameter"},
		{"postgres://gatehouse:s3cret@db/gatehouse?a=%zz", "query string"},
	}
	for _, tt := range tests {
		raw := tt.raw
		_, err := database.ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) error = nil, want an error", raw)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "database: DATABASE_URL ") || !strings.Contains(msg, tt.problem) ||
			!strings.Contains(msg, "sqlite:PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DATABASE") {
			t.Errorf("ParseURL(%q) error = %q, want it to say %q and name the accepted forms", raw, msg, tt.problem)
		}
		if strings.Contains(msg, "s3c") {
			t.Errorf("ParseURL(%q) error = %q, must not repeat the URL's password", raw, msg)
		}
	}
}

func TestOpenRejectsBadURL(t *testing.T) {
	db, err := database.Open("postgres://localhost")
	if err == nil {
		db.Close()
		t.Fatal(`Open("postgres://localhost") error = nil, want an error for a URL without a database`)
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
		"cache_size":   "-16384", // KiB: a million accounts' hot pages fit
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
