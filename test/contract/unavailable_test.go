package contract

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/test/pgtest"
	"github.com/gatehouse/gatehouse/usecase"
)

// call is one store method, called with plausible arguments.
type call struct {
	name string
	do   func(ctx context.Context) error
}

// writes returns a call of every store method that writes, on db, for
// an account alice and a session s that exist. What they create is
// named after round, so that the calls of one round cannot conflict with
// what an earlier round's calls made; alice is deleted last, after every
// call that refers to her.
func writes(db *bun.DB, alice domain.User, s domain.Session, round int) []call {
	users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
	throttle, events := sqlstore.NewThrottleStore(db), sqlstore.NewEventStore(db)
	bob, _ := domain.NewUsername(fmt.Sprintf("bob%d", round))
	return []call{
		{"UserStore.Create", func(ctx context.Context) error {
			_, err := users.Create(ctx, domain.User{Username: bob, PasswordHash: "h", CreatedAt: t0})
			return err
		}},
		{"UserStore.UpdatePasswordHash", func(ctx context.Context) error {
			_, err := users.UpdatePasswordHash(ctx, alice.ID, alice.PasswordHash, "h2")
			return err
		}},
		{"UserStore.SetPassword", func(ctx context.Context) error {
			_, err := users.SetPassword(ctx, alice.ID, "h2", true)
			return err
		}},
		{"UserStore.SetDisabled", func(ctx context.Context) error { return users.SetDisabled(ctx, alice.ID, true) }},
		{"UserStore.SetRole", func(ctx context.Context) error { return users.SetRole(ctx, alice.ID, domain.RoleUser) }},
		{"SessionStore.Create", func(ctx context.Context) error {
			// Under alice's credentials as they are now: SetPassword
			// moved them on.
			u, err := users.ByID(ctx, alice.ID)
			if err != nil {
				return err
			}
			sess := session(alice.ID, byte(2+10*round), t0.Add(time.Hour))
			sess.CredentialVersion = u.CredentialVersion
			_, err = sessions.Create(ctx, sess)
			return err
		}},
		{"SessionStore.Touch", func(ctx context.Context) error { return sessions.Touch(ctx, s.ID, t0, t0.Add(time.Hour)) }},
		{"SessionStore.Delete", func(ctx context.Context) error { return sessions.Delete(ctx, s.ID) }},
		{"SessionStore.DeleteExpired", func(ctx context.Context) error {
			_, err := sessions.DeleteExpired(ctx, t0.Add(2*time.Hour))
			return err
		}},
		{"SessionStore.DeleteByUser", func(ctx context.Context) error {
			_, err := sessions.DeleteByUser(ctx, alice.ID, 0)
			return err
		}},
		{"ThrottleStore.Reserve", func(ctx context.Context) error {
			_, _, err := throttle.Reserve(ctx, failure("alice", netA, t0, time.Time{}))
			return err
		}},
		{"ThrottleStore.Release", func(ctx context.Context) error {
			return throttle.Release(ctx, usecase.ThrottleTicket{Account: "alice", Key: netA, Events: []int64{1}})
		}},
		{"ThrottleStore.Purge", func(ctx context.Context) error {
			_, err := throttle.Purge(ctx, t0.Add(time.Hour), t0.Add(time.Hour))
			return err
		}},
		{"ThrottleStore.ClearAccount", func(ctx context.Context) error {
			_, err := throttle.ClearAccount(ctx, "alice")
			return err
		}},
		{"EventStore.Record", func(ctx context.Context) error {
			return events.Record(ctx, domain.SecurityEvent{Kind: domain.EventLogout, UserID: alice.ID, At: t0})
		}},
		{"UserStore.Delete", func(ctx context.Context) error { return users.Delete(ctx, alice.ID) }},
	}
}

// reads returns a call of every store method that only reads, on db.
func reads(db *bun.DB, alice domain.User, s domain.Session) []call {
	users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
	throttle, events := sqlstore.NewThrottleStore(db), sqlstore.NewEventStore(db)
	return []call{
		{"UserStore.ByID", func(ctx context.Context) error { _, err := users.ByID(ctx, alice.ID); return err }},
		{"UserStore.ByUsername", func(ctx context.Context) error { _, err := users.ByUsername(ctx, alice.Username); return err }},
		{"UserStore.List", func(ctx context.Context) error {
			_, err := users.List(ctx, usecase.UserQuery{Limit: 10, Now: t0})
			return err
		}},
		{"SessionStore.ByTokenHash", func(ctx context.Context) error { _, err := sessions.ByTokenHash(ctx, s.TokenHash); return err }},
		{"SessionStore.ByTokenHashWithUser", func(ctx context.Context) error {
			_, _, err := sessions.ByTokenHashWithUser(ctx, s.TokenHash)
			return err
		}},
		{"SessionStore.ListByUser", func(ctx context.Context) error { _, err := sessions.ListByUser(ctx, alice.ID, t0); return err }},
		{"ThrottleStore.Failures", func(ctx context.Context) error {
			_, _, err := throttle.Failures(ctx, "alice", netA, time.Time{})
			return err
		}},
		{"ThrottleStore.CountEvents", func(ctx context.Context) error {
			_, _, err := throttle.CountEvents(ctx, usecase.ThrottleSignup, netA, time.Time{})
			return err
		}},
		{"EventStore.ListByUser", func(ctx context.Context) error { _, err := events.ListByUser(ctx, alice.ID, nil, 10); return err }},
	}
}

// TestWritesReportUnavailableWhileLocked holds a lock that keeps out every
// writer and writes through the stores on a connection that does not wait
// for it: every write must report domain.ErrUnavailable (SQLite busy,
// PostgreSQL lock_not_available), which the web adapter turns into "try
// again later" rather than a 500.
func TestWritesReportUnavailableWhileLocked(t *testing.T) {
	run(t, []backend{sqliteFile, postgres}, func(t *testing.T, b backend) {
		ctx := context.Background()
		url := b.url(t)
		setup := b.open(t, url)
		if err := sqlstore.Migrate(ctx, setup); err != nil {
			t.Fatalf("Migrate() error = %v", err)
		}
		alice := createUser(t, sqlstore.NewUserStore(setup), "alice")
		s := createSession(t, sqlstore.NewSessionStore(setup), session(alice.ID, 1, t0.Add(time.Hour)))

		var impatient *bun.DB
		lock, err := setup.BeginTx(ctx, nil) // SQLite: BEGIN IMMEDIATE takes the write lock
		if err != nil {
			t.Fatalf("BeginTx() error = %v", err)
		}
		defer lock.Rollback()
		if b.isPostgres() {
			impatient = b.open(t, pgtest.WithParams(t, url, "lock_timeout", "50ms"))
			// EXCLUSIVE lets readers in and keeps every writer out.
			if _, err := lock.ExecContext(ctx, "LOCK TABLE users, sessions, login_failures, throttle_events, security_events IN EXCLUSIVE MODE"); err != nil {
				t.Fatalf("LOCK TABLE: %v", err)
			}
		} else {
			impatient = openRawSQLite(t, "file:"+strings.TrimPrefix(url, "sqlite:")+"?_pragma=busy_timeout(0)")
		}

		for _, c := range writes(impatient, alice, s, 0) {
			if err := c.do(ctx); !errors.Is(err, domain.ErrUnavailable) {
				t.Errorf("%s() while the database is locked: error = %v, want %v", c.name, err, domain.ErrUnavailable)
			}
		}
		for _, c := range reads(impatient, alice, s) {
			if err := c.do(ctx); err != nil {
				t.Errorf("%s() while writers are locked out: error = %v, want nil: readers are not blocked", c.name, err)
			}
		}
	})
}

// TestPostgresTerminatedConnections ends every connection of a store from
// the server's side, as a restart or a failover does: each call then
// either succeeds on a new connection or reports domain.ErrUnavailable,
// never a raw driver error, and the next round of calls all succeed.
func TestPostgresTerminatedConnections(t *testing.T) {
	run(t, []backend{postgres}, func(t *testing.T, b backend) {
		ctx := context.Background()
		url := b.url(t)
		var tag [8]byte
		_, _ = rand.Read(tag[:])
		app := "victim-" + hex.EncodeToString(tag[:])
		victim := b.open(t, pgtest.WithParams(t, url, "application_name", app))
		if err := sqlstore.Migrate(ctx, victim); err != nil {
			t.Fatalf("Migrate() error = %v", err)
		}
		killer := b.open(t, url)

		var (
			alice domain.User
			s     domain.Session
		)
		for round := range 2 {
			// Each round acts on an account of its own, made on a healthy
			// connection: a call may succeed on a new connection, and
			// what it changed must not make a later round's calls fail.
			alice = createUser(t, sqlstore.NewUserStore(killer), fmt.Sprintf("alice%d", round))
			s = createSession(t, sqlstore.NewSessionStore(killer), session(alice.ID, byte(1+10*round), t0.Add(time.Hour)))
			calls := append(reads(victim, alice, s), writes(victim, alice, s, round)...)
			for _, c := range calls {
				var n int
				err := killer.NewRaw("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", app).Scan(ctx, &n)
				if err != nil {
					t.Fatalf("pg_terminate_backend: %v", err)
				}
				if err := c.do(ctx); err != nil && !errors.Is(err, domain.ErrUnavailable) && !errors.Is(err, domain.ErrNotFound) {
					t.Errorf("round %d: %s() after its connections were terminated: error = %v, want nil or %v", round, c.name, err, domain.ErrUnavailable)
				}
			}
		}
		for _, c := range reads(victim, alice, s) {
			if err := c.do(ctx); err != nil && !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("%s() once the server is reachable again: error = %v, want nil", c.name, err)
			}
		}
	})
}

// TestPostgresUnreachableIsUnavailable points the stores at a port where
// no server listens, and at one that hangs up at once: every call, read or
// write, must report domain.ErrUnavailable. It needs no PostgreSQL server.
func TestPostgresUnreachableIsUnavailable(t *testing.T) {
	t.Parallel()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusing := closed.Addr().String()
	closed.Close()

	hangUp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hangUp.Close() })
	go func() {
		for {
			conn, err := hangUp.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()

	alice := domain.User{ID: 1, Username: username(t, "alice")}
	s := domain.Session{ID: 1, TokenHash: hashOf(1), UserID: 1}
	for name, addr := range map[string]string{"refused": refusing, "hung up": hangUp.Addr().String()} {
		sqldb := sql.OpenDB(pgdriver.NewConnector(
			pgdriver.WithDSN("postgres://gatehouse:secret@"+addr+"/gatehouse?sslmode=disable"),
			pgdriver.WithTimeout(2*time.Second)))
		db := bun.NewDB(sqldb, pgdialect.New())
		t.Cleanup(func() { db.Close() })
		for _, c := range append(reads(db, alice, s), writes(db, alice, s, 0)...) {
			if err := c.do(context.Background()); !errors.Is(err, domain.ErrUnavailable) {
				t.Errorf("%s: %s() error = %v, want %v", name, c.name, err, domain.ErrUnavailable)
			}
		}
	}
}

// openRawSQLite opens a SQLite database with exactly the driver settings
// in dsn.
func openRawSQLite(t *testing.T, dsn string) *bun.DB {
	t.Helper()
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatalf("sql.Open(%q) error = %v", dsn, err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { db.Close() })
	return db
}
