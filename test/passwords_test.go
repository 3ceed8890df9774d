package test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

func storedHash(t *testing.T, db *bun.DB, username string) string {
	t.Helper()
	var hash string
	err := db.NewSelect().Table("users").Column("password_hash").
		Where("username_canonical = ?", strings.ToLower(username)).Scan(context.Background(), &hash)
	if err != nil {
		t.Fatalf("read hash of %s: %v", username, err)
	}
	return hash
}

func TestPasswordsAreStoredAsArgon2idPHC(t *testing.T) {
	t.Parallel()
	var db *bun.DB
	srv := startServer(t, withOWASPArgon2(), withFx(fx.Populate(&db)))
	srv.newBrowser().signup("alice", alicePassword)
	hash := storedHash(t, db, "alice")
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("stored hash = %q, want a PHC argon2id string with m=19456,t=2,p=1", hash)
	}
	if strings.Contains(hash, alicePassword) {
		t.Errorf("stored hash contains the password")
	}
	if parts := strings.Split(hash, "$"); len(parts) != 6 || len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Errorf("stored hash %q: want a 16-byte salt (22 chars) and a 32-byte key (43 chars)", hash)
	}
	if strings.Contains(srv.logs.String(), alicePassword) {
		t.Errorf("the log contains the password")
	}
}

// TestLoginRehashesWithNewParameters restarts the service on the same
// database file with stronger argon2 settings: the next login keeps
// working and replaces the hash with one made with the new parameters.
func TestLoginRehashesWithNewParameters(t *testing.T) {
	t.Parallel()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "users.db")
	weak := func(c *config.Config) { c.DatabaseURL = dbURL; c.Argon2MemoryKiB = 8192; c.Argon2Time = 1 }
	strong := func(c *config.Config) { c.DatabaseURL = dbURL }

	var db1 *bun.DB
	first := startServer(t, withConfig(weak), withFx(fx.Populate(&db1)))
	first.newBrowser().signup("alice", alicePassword)
	if h := storedHash(t, db1, "alice"); !strings.Contains(h, "m=8192,t=1,p=1") {
		t.Fatalf("hash with weak settings = %q, want m=8192,t=1,p=1", h)
	}

	var db2 *bun.DB
	second := startServer(t, withOWASPArgon2(), withConfig(strong), withFx(fx.Populate(&db2)))
	b := second.newBrowser()
	if res := b.post("/login", url.Values{"username": {"alice"}, "password": {"not the password"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password after restart = %d, want 401", res.StatusCode)
	}
	if h := storedHash(t, db2, "alice"); !strings.Contains(h, "m=8192,t=1,p=1") {
		t.Errorf("a failed login rehashed: %q", h)
	}
	b.login("alice", alicePassword, false)
	if h := storedHash(t, db2, "alice"); !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash after login with new settings = %q, want m=19456,t=2,p=1", h)
	}
	second.newBrowser().login("alice", alicePassword, false)
}
