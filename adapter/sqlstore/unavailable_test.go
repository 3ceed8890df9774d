package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestWritesReportUnavailableWhileLocked holds the write lock of a database
// file on one connection and writes through the stores on another that
// does not wait: every write must report domain.ErrUnavailable, which the
// web adapter turns into "try again later" rather than a 500.
func TestWritesReportUnavailableWhileLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	setup := openMigrated(t, "sqlite:"+path)
	alice := createUser(t, sqlstore.NewUserStore(setup), "alice")
	s := createSession(t, sqlstore.NewSessionStore(setup), session(alice.ID, 1, t0.Add(time.Hour)))

	impatient := openRaw(t, "file:"+path+"?_pragma=busy_timeout(0)")
	users, sessions := sqlstore.NewUserStore(impatient), sqlstore.NewSessionStore(impatient)
	throttle, events := sqlstore.NewThrottleStore(impatient), sqlstore.NewEventStore(impatient)

	lock, err := setup.BeginTx(ctx, nil) // BEGIN IMMEDIATE: takes the write lock
	if err != nil {
		t.Fatalf("BeginTx() error = %v", err)
	}
	defer lock.Rollback()

	tests := []struct {
		name string
		call func() error
	}{
		{"UserStore.Create", func() error {
			_, err := users.Create(ctx, domain.User{Username: username(t, "bob"), PasswordHash: "h", CreatedAt: t0})
			return err
		}},
		{"UserStore.UpdatePasswordHash", func() error { return users.UpdatePasswordHash(ctx, alice.ID, "h2") }},
		{"UserStore.SetPassword", func() error { return users.SetPassword(ctx, alice.ID, "h2", true) }},
		{"UserStore.SetDisabled", func() error { return users.SetDisabled(ctx, alice.ID, true) }},
		{"UserStore.SetRole", func() error { return users.SetRole(ctx, alice.ID, domain.RoleUser) }},
		{"UserStore.Delete", func() error { return users.Delete(ctx, alice.ID) }},
		{"SessionStore.Create", func() error {
			_, err := sessions.Create(ctx, session(alice.ID, 2, t0.Add(time.Hour)))
			return err
		}},
		{"SessionStore.Touch", func() error { return sessions.Touch(ctx, s.ID, t0, t0.Add(time.Hour)) }},
		{"SessionStore.Delete", func() error { return sessions.Delete(ctx, s.ID) }},
		{"SessionStore.DeleteExpired", func() error {
			_, err := sessions.DeleteExpired(ctx, t0.Add(2*time.Hour))
			return err
		}},
		{"SessionStore.DeleteByUser", func() error {
			_, err := sessions.DeleteByUser(ctx, alice.ID, 0)
			return err
		}},
		{"ThrottleStore.RecordFailure", func() error { return throttle.RecordFailure(ctx, "alice", netA, t0, time.Time{}) }},
		{"ThrottleStore.ResetFailures", func() error { return throttle.ResetFailures(ctx, "alice", netA) }},
		{"ThrottleStore.AddEvent", func() error { return throttle.AddEvent(ctx, usecase.EventSignup, netA, t0) }},
		{"ThrottleStore.Purge", func() error {
			_, err := throttle.Purge(ctx, t0.Add(time.Hour), t0.Add(time.Hour))
			return err
		}},
		{"ThrottleStore.ClearAccount", func() error {
			_, err := throttle.ClearAccount(ctx, "alice")
			return err
		}},
		{"EventStore.Record", func() error {
			return events.Record(ctx, domain.SecurityEvent{Kind: domain.EventLogout, UserID: alice.ID, At: t0})
		}},
	}
	for _, tt := range tests {
		if err := tt.call(); !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("%s() while the database is locked: error = %v, want %v", tt.name, err, domain.ErrUnavailable)
		}
	}
}

// openRaw opens a SQLite database with exactly the driver settings in dsn.
func openRaw(t *testing.T, dsn string) *bun.DB {
	t.Helper()
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatalf("sql.Open(%q) error = %v", dsn, err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	t.Cleanup(func() { db.Close() })
	return db
}
