package contract

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// The credential version: every new password moves the account's on
// (TestUserStoreSetPassword), a session keeps the one it was started
// under, and no session is stored, or accepted, under an older one.

// TestSessionStoreCreateRefusesAnOtherCredentialVersion: a session whose
// credential version is not the account's is refused with
// domain.ErrCredentialsChanged, and neither it nor its events are stored.
func TestSessionStoreCreateRefusesAnOtherCredentialVersion(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions, events := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db), sqlstore.NewEventStore(db)
		alice := createUser(t, users, "alice")
		version, err := users.SetPassword(ctx, alice.ID, "a newer hash", false)
		if err != nil {
			t.Fatalf("SetPassword() error = %v", err)
		}
		tests := []struct {
			version int64
			wantErr error
		}{
			{alice.CredentialVersion, domain.ErrCredentialsChanged}, // checked before the change
			{version + 1, domain.ErrCredentialsChanged},             // no such version yet
			{0, domain.ErrCredentialsChanged},
			{version, nil},
		}
		for i, tt := range tests {
			s := session(alice.ID, byte(i+1), t0.Add(time.Hour))
			s.CredentialVersion = tt.version
			login := domain.SecurityEvent{Kind: domain.EventLoginSuccess, UserID: alice.ID, Detail: "try", At: t0}
			got, err := sessions.Create(ctx, s, login)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) || errors.Is(err, domain.ErrNotFound) {
				t.Errorf("Create(version %d; account at %d) error = %v, want %v", tt.version, version, err, tt.wantErr)
				continue
			}
			_, lookupErr := sessions.ByTokenHash(ctx, s.TokenHash)
			switch {
			case tt.wantErr != nil && !errors.Is(lookupErr, domain.ErrNotFound):
				t.Errorf("ByTokenHash(refused session of version %d) error = %v, want %v: nothing stored", tt.version, lookupErr, domain.ErrNotFound)
			case tt.wantErr == nil && (lookupErr != nil || got.CredentialVersion != version):
				t.Errorf("Create(version %d) stored version %d (lookup %v), want %d", tt.version, got.CredentialVersion, lookupErr, version)
			}
		}
		list, err := events.ListByUser(ctx, alice.ID, nil, 10)
		if err != nil || len(list) != 1 {
			t.Errorf("alice's events after the refused Creates = %d, %v; want only the accepted session's 1", len(list), err)
		}
	})
}

// TestSessionStoreCreateWaitsForAPasswordChangeInProgress holds a
// password change open (its UPDATE done, not yet committed) while a
// session of the old version is created: the check and the insert are
// one atomic step, so the insert waits for the change and is refused. A
// check that read the row without holding it (PostgreSQL's foreign key
// check alone takes a lock an UPDATE of other columns does not wait for)
// would store a session of the old version beside the new password.
func TestSessionStoreCreateWaitsForAPasswordChangeInProgress(t *testing.T) {
	run(t, []backend{sqliteFile, postgres}, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
		alice := createUser(t, users, "alice")

		change, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatalf("BeginTx() error = %v", err)
		}
		defer change.Rollback()
		if _, err := change.ExecContext(ctx, "UPDATE users SET password_hash = 'newer', credential_version = credential_version + 1 WHERE id = ?", int64(alice.ID)); err != nil {
			t.Fatalf("UPDATE users (the change in progress) error = %v", err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := sessions.Create(ctx, session(alice.ID, 1, t0.Add(time.Hour)))
			done <- err
		}()
		select {
		case err := <-done:
			t.Fatalf("Create(old version) while the change is open returned %v before the change committed, want it to wait", err)
		case <-time.After(200 * time.Millisecond):
		}
		if err := change.Commit(); err != nil {
			t.Fatalf("Commit() error = %v", err)
		}
		if err := <-done; !errors.Is(err, domain.ErrCredentialsChanged) {
			t.Errorf("Create(old version) after the change committed: error = %v, want %v", err, domain.ErrCredentialsChanged)
		}
		if _, err := sessions.ByTokenHash(ctx, hashOf(1)); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByTokenHash(refused session) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

// fixedClock and oneToken are what a SessionManager needs besides the
// store.
type fixedClock struct{ now time.Time }

func (c fixedClock) Now() time.Time { return c.now }

type oneToken struct{ seed byte }

func (o oneToken) NewToken() (domain.Token, error) {
	return domain.NewToken([domain.TokenBytes]byte{o.seed}), nil
}

// TestResolveRefusesAnOlderCredentialVersion runs the session lookup of
// every request on each database: a session started before a password
// change (one the change did not delete: its login raced it) is
// unauthenticated, and deleted.
func TestResolveRefusesAnOlderCredentialVersion(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
		alice := createUser(t, users, "alice")
		policy := usecase.SessionPolicy{IdleTimeout: time.Hour, AbsoluteTimeout: time.Hour, RememberFor: 720 * time.Hour, TouchInterval: time.Minute}
		manager := usecase.NewSessionManager(sessions, oneToken{seed: 7}, fixedClock{t0}, policy, slog.New(slog.NewTextHandler(io.Discard, nil)))
		token, _, err := manager.Start(ctx, alice, true, usecase.Client{}, domain.PreviousLogin{})
		if err != nil {
			t.Fatalf("Start() error = %v", err)
		}
		if _, err := manager.Resolve(ctx, token); err != nil {
			t.Fatalf("Resolve() before the change error = %v", err)
		}
		if _, err := users.SetPassword(ctx, alice.ID, "a newer hash", false); err != nil {
			t.Fatalf("SetPassword() error = %v", err)
		}
		if _, err := manager.Resolve(ctx, token); !errors.Is(err, domain.ErrUnauthenticated) {
			t.Errorf("Resolve(session from before the change) error = %v, want %v", err, domain.ErrUnauthenticated)
		}
		if _, err := sessions.ByTokenHash(ctx, token.Hash()); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByTokenHash(refused session) error = %v, want %v: Resolve deletes it", err, domain.ErrNotFound)
		}
	})
}
