package contract

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// putRecoveryCode stores a recovery code for user, valid 10 minutes from
// t0, and returns its id.
func putRecoveryCode(t *testing.T, emails *sqlstore.EmailStore, user domain.UserID, addr string, hash byte) int64 {
	t.Helper()
	ctx := context.Background()
	err := emails.PutCode(ctx, domain.PendingCode{
		UserID: user, Purpose: domain.PurposeRecover, Address: address(t, addr),
		Hash: []byte{hash}, ExpiresAt: t0.Add(10 * time.Minute), CreatedAt: t0,
	})
	if err != nil {
		t.Fatalf("PutCode(recover, %d) error = %v", user, err)
	}
	c, err := emails.ActiveCode(ctx, user, domain.PurposeRecover, t0)
	if err != nil {
		t.Fatalf("ActiveCode(recover, %d) error = %v", user, err)
	}
	return c.ID
}

// TestEmailStoreResetPassword: a reset consumes the code, sets the hash,
// clears MustChangePassword, moves the credential version on, deletes
// every session of the account (and no other's), and stores its events
// and mails, in one transaction; the second factor and the account's
// other codes of other purposes stay.
func TestEmailStoreResetPassword(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db)
		sessions, events, outbox := sqlstore.NewSessionStore(db), sqlstore.NewEventStore(db), sqlstore.NewOutboxStore(db)
		totp := sqlstore.NewTOTPStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		before, err := users.SetPassword(ctx, alice.ID, "old hash", true)
		if err != nil {
			t.Fatal(err)
		}
		for i, user := range []domain.UserID{alice.ID, alice.ID, bob.ID} {
			s := session(user, byte(i+1), t0.Add(time.Hour))
			if user == alice.ID {
				s.CredentialVersion = before
			}
			createSession(t, sessions, s)
		}
		if _, err := totp.PutPending(ctx, domain.TOTP{UserID: alice.ID, Sealed: []byte("sealed"), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		putCode(t, emails, alice.ID, "new@example.com", 7) // a pending verification
		id := putRecoveryCode(t, emails, alice.ID, "alice@example.com", 1)
		event := domain.SecurityEvent{Kind: domain.EventPasswordReset, UserID: alice.ID, At: t0}

		version, err := emails.ResetPassword(ctx, id, alice.ID, "new hash", t0.Add(time.Minute), []domain.SecurityEvent{event}, queued(1, t0))
		if err != nil {
			t.Fatalf("ResetPassword() error = %v", err)
		}
		u, _ := users.ByID(ctx, alice.ID)
		if version != before+1 || u.CredentialVersion != version || u.PasswordHash != "new hash" || u.MustChangePassword {
			t.Errorf("after ResetPassword: version %d (returned %d), hash %q, must change %v; want %d, the new hash, false",
				u.CredentialVersion, version, u.PasswordHash, u.MustChangePassword, before+1)
		}
		if list, _ := sessions.ListByUser(ctx, alice.ID, t0); len(list) != 0 {
			t.Errorf("alice has %d sessions after the reset, want none", len(list))
		}
		if list, _ := sessions.ListByUser(ctx, bob.ID, t0); len(list) != 1 {
			t.Errorf("bob has %d sessions after alice's reset, want his one", len(list))
		}
		if _, err := totp.ByUser(ctx, alice.ID); err != nil {
			t.Errorf("alice's TOTP after the reset: %v, want kept", err)
		}
		if _, err := emails.ActiveCode(ctx, alice.ID, domain.PurposeVerifyEmail, t0); err != nil {
			t.Errorf("alice's pending verification after the reset: %v, want kept", err)
		}
		if list, _ := events.ListByUser(ctx, alice.ID, []domain.EventKind{domain.EventPasswordReset}, 10); len(list) != 1 {
			t.Errorf("%d password_reset events, want 1", len(list))
		}
		if list, _ := outbox.List(ctx, nil, 10); len(list) != 1 {
			t.Errorf("%d messages queued, want the reset's 1", len(list))
		}
		if _, err := emails.ResetPassword(ctx, id, alice.ID, "third hash", t0.Add(time.Minute), nil); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ResetPassword() with the used code error = %v, want ErrNotFound", err)
		}
		if u, _ := users.ByID(ctx, alice.ID); u.PasswordHash != "new hash" || u.CredentialVersion != version {
			t.Errorf("a refused reset changed the account: hash %q, version %d", u.PasswordHash, u.CredentialVersion)
		}
	})
}

// TestEmailStoreResetPasswordRefusals: a code that is expired, another
// account's, or of another purpose resets nothing, and a refused reset
// stores none of its events or mails.
func TestEmailStoreResetPasswordRefusals(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails, outbox := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db), sqlstore.NewOutboxStore(db)
		events := sqlstore.NewEventStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		id := putRecoveryCode(t, emails, alice.ID, "alice@example.com", 1)
		putCode(t, emails, bob.ID, "bob@example.com", 2)
		verify, _ := emails.ActiveCode(ctx, bob.ID, domain.PurposeVerifyEmail, t0)
		event := domain.SecurityEvent{Kind: domain.EventPasswordReset, UserID: alice.ID, At: t0}
		tests := []struct {
			name string
			id   int64
			user domain.UserID
			at   time.Time
		}{
			{"expired", id, alice.ID, t0.Add(10 * time.Minute)},
			{"another account's", id, bob.ID, t0},
			{"a verification code", verify.ID, bob.ID, t0},
		}
		for _, tt := range tests {
			_, err := emails.ResetPassword(ctx, tt.id, tt.user, "hash", tt.at, []domain.SecurityEvent{event}, queued(1, t0))
			if !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("ResetPassword(%s) error = %v, want ErrNotFound", tt.name, err)
			}
		}
		for _, u := range []domain.User{alice, bob} {
			if got, _ := users.ByID(ctx, u.ID); got.PasswordHash != u.PasswordHash || got.CredentialVersion != u.CredentialVersion {
				t.Errorf("%s after refused resets: hash %q version %d, want unchanged", u.Username, got.PasswordHash, got.CredentialVersion)
			}
		}
		if list, _ := outbox.List(ctx, nil, 10); len(list) != 0 {
			t.Errorf("refused resets queued %d messages, want none", len(list))
		}
		if list, _ := events.ListByUser(ctx, alice.ID, nil, 10); len(list) != 0 {
			t.Errorf("refused resets recorded %d events, want none", len(list))
		}
	})
}

// TestEmailStoreResetPasswordOnceUnderConcurrency: of many resets with
// one code at once, exactly one succeeds and the others change nothing.
func TestEmailStoreResetPasswordOnceUnderConcurrency(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db)
		alice := createUser(t, users, "alice")
		id := putRecoveryCode(t, emails, alice.ID, "alice@example.com", 1)
		var (
			wg sync.WaitGroup
			mu sync.Mutex
			ok int
		)
		for range 8 {
			wg.Go(func() {
				_, err := emails.ResetPassword(ctx, id, alice.ID, "new hash", t0, nil)
				switch {
				case err == nil:
					mu.Lock()
					ok++
					mu.Unlock()
				case !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrUnavailable):
					t.Errorf("ResetPassword() error = %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d of 8 concurrent resets with one code succeeded, want exactly 1", ok)
		}
		if u, _ := users.ByID(ctx, alice.ID); u.CredentialVersion != alice.CredentialVersion+1 {
			t.Errorf("credential version %d after the race, want moved on exactly once (%d)", u.CredentialVersion, alice.CredentialVersion+1)
		}
	})
}
