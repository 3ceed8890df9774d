package database_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/dialect"

	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/pgtest"
)

func TestOpenPostgres(t *testing.T) {
	raw := pgtest.Schema(t)
	db, err := database.OpenWith(raw, database.Pool{MaxOpenConns: 3})
	if err != nil {
		t.Fatalf("OpenWith(%s) error = %v", database.Redact(raw), err)
	}
	defer db.Close()
	if got := db.Dialect().Name(); got != dialect.PG {
		t.Errorf("Dialect() = %v, want %v", got, dialect.PG)
	}
	if got := db.Stats().MaxOpenConnections; got != 3 {
		t.Errorf("MaxOpenConnections = %d, want 3 as configured", got)
	}
	// URL parameters the driver does not read are settings of every
	// connection: pgtest puts each test in its own schema that way.
	var path string
	if err := db.NewRaw("SHOW search_path").Scan(context.Background(), &path); err != nil || !strings.HasPrefix(path, "test_") {
		t.Errorf("SHOW search_path = %q, %v, want the test's schema from the URL", path, err)
	}
}

// TestOpenPostgresFailsClearly opens a server with the wrong password and
// a port where nothing listens: the start fails with the database's own
// error, and no password shows.
func TestOpenPostgresFailsClearly(t *testing.T) {
	u, err := url.Parse(pgtest.URL(t))
	if err != nil {
		t.Fatal("TEST_POSTGRES_URL is not a valid URL")
	}
	u.User = url.UserPassword(u.User.Username(), "wrong-s3cret")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := *u
	closed.Host = ln.Addr().String()
	ln.Close()

	for _, tt := range []struct{ name, raw, want string }{
		{"wrong password", u.String(), "28P01"},
		{"nothing listens", closed.String(), "connection refused"},
	} {
		start := time.Now()
		db, err := database.Open(tt.raw)
		if err == nil {
			db.Close()
			t.Errorf("%s: Open() error = nil, want one", tt.name)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "database: open postgres://") || !strings.Contains(msg, tt.want) {
			t.Errorf("%s: Open() error = %q, want a %q error from the server", tt.name, msg, tt.want)
		}
		if strings.Contains(msg, "wrong-s3cret") {
			t.Errorf("%s: Open() error = %q shows the password", tt.name, msg)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("%s: Open() took %s, want a quick failure", tt.name, d)
		}
	}
}
