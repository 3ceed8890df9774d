package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/test/pgtest"
)

func TestMigrate(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	first := must(t, env, "", "migrate")
	applied := regexp.MustCompile(`^applied (\d+) migrations to sqlite:.*users\.db: \d+`).FindStringSubmatch(first)
	if applied == nil {
		t.Fatalf("gatehouse migrate on a new database = %q, want the migrations it applied", first)
	}
	path := strings.TrimPrefix(env["DATABASE_URL"], "sqlite:")
	if _, err := os.Stat(path); err != nil {
		t.Errorf("gatehouse migrate did not create %s: %v", path, err)
	}
	second := must(t, env, "", "migrate")
	if !strings.Contains(second, "is up to date: "+applied[1]+" migrations applied") {
		t.Errorf("gatehouse migrate again = %q, want up to date with the %s migrations of the first run", second, applied[1])
	}
	// The schema is complete: the commands on accounts work on it.
	must(t, env, "", "user", "list")
}

func TestMigrateFailsClearly(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["DATABASE_URL"] = "sqlite:" + filepath.Join(t.TempDir(), "missing-dir", "users.db")
	r := gatehouse(t, env, "", "migrate")
	if r.code != exitFailed || !strings.HasPrefix(r.stderr, "gatehouse: database: open") || strings.Contains(r.stderr, "reflect") {
		t.Errorf("gatehouse migrate into a missing directory = %d, stderr %q; want 1 and the database's own error", r.code, r.stderr)
	}
}

// TestMigratePostgres runs the command on a PostgreSQL database: the same
// steps apply, the report names the database without its password, and
// the account commands work on the result.
func TestMigratePostgres(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["DATABASE_URL"] = pgtest.Schema(t)
	u, err := url.Parse(env["DATABASE_URL"])
	if err != nil {
		t.Fatal("TEST_POSTGRES_URL is not a valid URL")
	}
	password, _ := u.User.Password()

	first := must(t, env, "", "migrate")
	applied := regexp.MustCompile(`^applied (\d+) migrations to postgres://[^ ]*xxxxx@[^ ]+: \d+`).FindStringSubmatch(first)
	if applied == nil {
		t.Fatalf("gatehouse migrate on a new PostgreSQL database = %q, want the migrations it applied", first)
	}
	second := must(t, env, "", "migrate")
	if !strings.Contains(second, "is up to date: "+applied[1]+" migrations applied") {
		t.Errorf("gatehouse migrate again = %q, want up to date with the %s migrations of the first run", second, applied[1])
	}
	if password != "" && strings.Contains(first+second, password) {
		t.Errorf("gatehouse migrate printed the database password: %q", first+second)
	}
	must(t, env, "", "user", "list")
}
