package multi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/pgtest"
)

const (
	alicePassword = "correct horse battery staple"
	bobPassword   = "purple monkey dishwasher"
)

// TestTwoInstancesBehindABalancer starts two gatehouse processes at the
// same moment on one new PostgreSQL database with one SECRET_KEY, and
// checks that nothing a browser relies on lives in one process's memory.
func TestTwoInstancesBehindABalancer(t *testing.T) {
	dbURL := pgtest.Schema(t)
	bin := buildBinary(t)
	var key [32]byte
	_, _ = rand.Read(key[:])
	env := []string{
		"DATABASE_URL=" + dbURL,
		"SECRET_KEY=" + hex.EncodeToString(key[:]),
		"ARGON2_MEMORY_KIB=8192", // cheap hashing: this is not about argon2
		"ARGON2_TIME=1",
	}
	instances := startInstances(t, bin, env, 2)
	a, b := instances[0], instances[1]

	t.Run("migrations ran once", func(t *testing.T) {
		checkMigratedOnce(t, dbURL)
	})

	br := newBrowser(t)
	t.Run("a CSRF token from one instance's page works on the other", func(t *testing.T) {
		token := br.csrfToken(a, "/signup") // bound to the visitor cookie A set
		res := br.post(b, "/signup", url.Values{"csrf_token": {token}, "username": {"alice"}, "password": {alicePassword}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("POST /signup on B with A's token: status %d, want 303; body:\n%s", res.status, res.body)
		}
	})

	var session string
	t.Run("a login on one is valid on the other", func(t *testing.T) {
		token := br.csrfToken(a, "/login")
		res := br.post(b, "/login", url.Values{"csrf_token": {token}, "username": {"alice"}, "password": {alicePassword}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("POST /login on B: status %d, want 303; body:\n%s", res.status, res.body)
		}
		if session = br.cookie(a, "gatehouse_session"); session == "" {
			t.Fatalf("POST /login on B set no session cookie")
		}
		first := br.get(a, "/")
		if first.status != http.StatusOK || !strings.Contains(first.body, "Welcome, alice") || !strings.Contains(first.body, "This is your first visit") {
			t.Fatalf("GET / on A after logging in on B: status %d, want 200, the welcome and a first visit; body:\n%s", first.status, first.body)
		}
		// B reads the last_visit cookie A signed: same SECRET_KEY.
		second := br.get(b, "/")
		if second.status != http.StatusOK || !strings.Contains(second.body, "Welcome, alice") || strings.Contains(second.body, "This is your first visit") {
			t.Errorf("GET / on B after a visit on A: status %d, want 200 and the previous visit; body:\n%s", second.status, second.body)
		}
	})

	t.Run("logout on one revokes the session on the other", func(t *testing.T) {
		token := br.csrfToken(b, "/logout") // bound to the session
		if res := br.post(a, "/logout", url.Values{"csrf_token": {token}}); res.status != http.StatusSeeOther {
			t.Fatalf("POST /logout on A with B's token: status %d, want 303; body:\n%s", res.status, res.body)
		}
		// A browser that kept the old cookie, or a thief who copied it.
		replay := newBrowser(t)
		u, _ := url.Parse(b.base)
		replay.client.Jar.SetCookies(u, []*http.Cookie{{Name: "gatehouse_session", Value: session, Path: "/"}})
		if res := replay.get(b, "/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
			t.Errorf("GET / on B with the session logged out on A: status %d to %q, want 303 to /login", res.status, res.location)
		}
	})

	t.Run("failed logins spread across both instances are throttled", func(t *testing.T) {
		token := br.csrfToken(a, "/signup")
		if res := br.post(a, "/signup", url.Values{"csrf_token": {token}, "username": {"bob"}, "password": {bobPassword}}); res.status != http.StatusSeeOther {
			t.Fatalf("POST /signup bob on A: status %d, want 303", res.status)
		}
		for i := 1; i <= 6; i++ {
			in := instances[i%2]
			token := br.csrfToken(instances[(i+1)%2], "/login")
			res := br.post(in, "/login", url.Values{"csrf_token": {token}, "username": {"bob"}, "password": {"wrong password!"}})
			want := http.StatusUnauthorized
			if i == 6 {
				want = http.StatusTooManyRequests
			}
			if res.status != want {
				t.Fatalf("failed login %d, on instance %s: status %d, want %d", i, in.name, res.status, want)
			}
		}
	})

	t.Run("an instance with another SECRET_KEY refuses the token", func(t *testing.T) {
		var other [32]byte
		_, _ = rand.Read(other[:])
		c := startInstances(t, bin, append(env, "SECRET_KEY="+hex.EncodeToString(other[:])), 1)[0]
		token := br.csrfToken(a, "/login")
		res := br.post(c, "/login", url.Values{"csrf_token": {token}, "username": {"alice"}, "password": {alicePassword}})
		if res.status != http.StatusForbidden {
			t.Errorf("POST /login on an instance with its own SECRET_KEY, with A's token: status %d, want 403: instances must share SECRET_KEY", res.status)
		}
	})
}

// checkMigratedOnce fails unless dbURL's bun_migrations holds each step
// exactly once, all applied in one group (by one process), and no
// migration lock is left.
func checkMigratedOnce(t *testing.T, dbURL string) {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(dbURL)
	if err != nil {
		t.Fatalf("open the database: %v", err)
	}
	defer db.Close()
	ms, err := sqlstore.Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	var rows, names, groups, locks int
	err = db.NewRaw("SELECT count(*), count(DISTINCT name), count(DISTINCT group_id), (SELECT count(*) FROM bun_migration_locks) FROM bun_migrations").
		Scan(ctx, &rows, &names, &groups, &locks)
	want := len(ms.Sorted())
	if err != nil || rows != want || names != want || groups != 1 || locks != 0 {
		t.Errorf("bun_migrations after two instances started together: %d rows, %d names, %d groups, %d locks (%v); want %d, %d, 1 and 0",
			rows, names, groups, locks, err, want, want)
	}
}
