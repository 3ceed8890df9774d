// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema in the database that TEST_POSTGRES_URL names, dropped with
// everything in it when the test ends. Without TEST_POSTGRES_URL the
// tests that need one skip; CI sets it (see .ci/run) and checks that they
// ran.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// EnvVar names the variable that holds the server's URL, such as
// postgres://gatehouse:PASSWORD@127.0.0.1:5432/gatehouse?sslmode=disable.
// Its role needs CREATE on the database.
const EnvVar = "TEST_POSTGRES_URL"

// URL returns TEST_POSTGRES_URL, or skips t when it is unset.
func URL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(EnvVar)
	if raw == "" {
		t.Skipf("%s is not set: no PostgreSQL server to test against (bash .ci/postgres start DIR starts one)", EnvVar)
	}
	return raw
}

// Schema creates a schema with a new random name, drops it with all it
// holds when t ends, and returns a DATABASE_URL for TEST_POSTGRES_URL's
// database whose connections see only that schema (search_path), so a
// test may migrate and fill it without meeting any other test. It skips t
// when TEST_POSTGRES_URL is unset.
func Schema(t testing.TB) string {
	t.Helper()
	base := URL(t)
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails.
	name := "test_" + hex.EncodeToString(b[:])

	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(base), pgdriver.WithTracing(false)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		admin.Close()
		t.Fatalf("pgtest: create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	return WithParams(t, base, "search_path", name)
}

// WithParams returns rawURL with the query parameters named in pairs
// (name, value, name, value, ...) set, such as a PostgreSQL setting like
// lock_timeout, which the driver sets on every connection.
func WithParams(t testing.TB, rawURL string, pairs ...string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("pgtest: %s is not a valid URL", EnvVar) // not repeated: it holds a password
	}
	q := u.Query()
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Set(pairs[i], pairs[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}
