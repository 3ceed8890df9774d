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

func address(t *testing.T, raw string) domain.EmailAddress {
	t.Helper()
	a, err := domain.NewEmailAddress(raw)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func putCode(t *testing.T, emails *sqlstore.EmailStore, user domain.UserID, addr string, hash byte, mails ...domain.QueuedMail) {
	t.Helper()
	err := emails.PutCode(context.Background(), domain.PendingCode{
		UserID: user, Purpose: domain.PurposeVerifyEmail, Address: address(t, addr),
		Hash: []byte{hash}, ExpiresAt: t0.Add(time.Hour), CreatedAt: t0,
	}, mails...)
	if err != nil {
		t.Fatalf("PutCode(%d, %s) error = %v", user, addr, err)
	}
}

func TestEmailStoreConfirm(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails, outbox := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db), sqlstore.NewOutboxStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		putCode(t, emails, alice.ID, "Alice@Example.com", 1, queued(1, t0))
		putCode(t, emails, bob.ID, "alice@example.COM", 2)
		if got, _ := outbox.List(ctx, nil, 10); len(got) != 1 {
			t.Errorf("PutCode with a mail queued %d messages, want 1, in its transaction", len(got))
		}
		a, err := emails.TryCode(ctx, alice.ID, domain.PurposeVerifyEmail, t0, 5)
		if err != nil || a.Tries != 1 || string(a.Hash) != "\x01" {
			t.Fatalf("TryCode(alice) = %+v, %v", a, err)
		}
		event := domain.SecurityEvent{Kind: domain.EventEmailVerified, UserID: alice.ID, At: t0}
		got, err := emails.ConfirmEmail(ctx, a.ID, alice.ID, t0, []domain.SecurityEvent{event})
		if err != nil || got.String() != "Alice@Example.com" {
			t.Fatalf("ConfirmEmail(alice) = %v, %v", got, err)
		}
		if _, err := emails.ConfirmEmail(ctx, a.ID, alice.ID, t0, nil); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ConfirmEmail twice error = %v, want ErrNotFound: a code works once", err)
		}
		if u, _ := users.ByID(ctx, alice.ID); u.Email.String() != "Alice@Example.com" {
			t.Errorf("ByID(alice).Email = %q, want the verified address", u.Email)
		}
		// The read behind every signed-in request carries the address too
		// (GET /api/v1/me and the account page show it from there).
		sess, err := sqlstore.NewSessionStore(db).Create(ctx, session(alice.ID, 1, t0.Add(time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if _, u, err := sqlstore.NewSessionStore(db).ByTokenHashWithUser(ctx, sess.TokenHash); err != nil || u.Email.String() != "Alice@Example.com" {
			t.Errorf("ByTokenHashWithUser(alice's session) user email = %q, %v; want the verified address", u.Email, err)
		}
		if owner, err := emails.OwnerOf(ctx, address(t, "ALICE@example.com")); err != nil || owner.ID != alice.ID {
			t.Errorf("OwnerOf(another case) = %d, %v, want alice", owner.ID, err)
		}
		bc, _ := emails.TryCode(ctx, bob.ID, domain.PurposeVerifyEmail, t0, 5)
		if _, err := emails.ConfirmEmail(ctx, bc.ID, bob.ID, t0, nil); !errors.Is(err, domain.ErrEmailTaken) {
			t.Errorf("ConfirmEmail(bob, the same address in another case) error = %v, want ErrEmailTaken", err)
		}
		if u, _ := users.ByID(ctx, bob.ID); !u.Email.IsZero() {
			t.Errorf("bob's address after the refused confirmation = %q, want none", u.Email)
		}
		if _, err := emails.ActiveCode(ctx, bob.ID, domain.PurposeVerifyEmail, t0); err != nil {
			t.Errorf("bob's code after the refused confirmation: %v, want it unused still (the transaction rolled back)", err)
		}
		if err := emails.RemoveEmail(ctx, alice.ID, nil); err != nil {
			t.Fatal(err)
		}
		if u, _ := users.ByID(ctx, alice.ID); !u.Email.IsZero() {
			t.Errorf("alice's address after RemoveEmail = %q", u.Email)
		}
	})
}

func TestEmailStoreCodeExpiryAndReplacement(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db)
		alice := createUser(t, users, "alice")
		putCode(t, emails, alice.ID, "a@example.com", 1)
		putCode(t, emails, alice.ID, "b@example.com", 2)
		c, err := emails.ActiveCode(ctx, alice.ID, domain.PurposeVerifyEmail, t0)
		if err != nil || c.Address.String() != "b@example.com" || string(c.Hash) != "\x02" {
			t.Errorf("ActiveCode after a second PutCode = %+v, %v, want the second only", c, err)
		}
		if _, err := emails.TryCode(ctx, alice.ID, domain.PurposeVerifyEmail, t0.Add(time.Hour), 5); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("TryCode at expiry error = %v, want ErrNotFound", err)
		}
		if n, err := emails.PurgeCodes(ctx, t0.Add(2*time.Hour)); err != nil || n != 1 {
			t.Errorf("PurgeCodes() = %d, %v, want 1", n, err)
		}
	})
}

// TestEmailStoreTriesUnderConcurrency: however many tries race, at most
// maxTries are counted.
func TestEmailStoreTriesUnderConcurrency(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db)
		alice := createUser(t, users, "alice")
		putCode(t, emails, alice.ID, "a@example.com", 1)
		var (
			wg sync.WaitGroup
			mu sync.Mutex
			ok int
		)
		for range 20 {
			wg.Go(func() {
				_, err := emails.TryCode(ctx, alice.ID, domain.PurposeVerifyEmail, t0, 5)
				if err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				} else if !errors.Is(err, domain.ErrNotFound) && !errors.Is(err, domain.ErrUnavailable) {
					t.Errorf("TryCode() error = %v", err)
				}
			})
		}
		wg.Wait()
		if ok != 5 {
			t.Errorf("%d of 20 concurrent tries counted, want exactly 5", ok)
		}
	})
}

func TestEmailStoreSetEmail(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, emails := sqlstore.NewUserStore(db), sqlstore.NewEmailStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		putCode(t, emails, alice.ID, "old@example.com", 1)
		if err := emails.SetEmail(ctx, alice.ID, address(t, "a@example.com"), nil); err != nil {
			t.Fatalf("SetEmail(alice) error = %v", err)
		}
		if _, err := emails.ActiveCode(ctx, alice.ID, domain.PurposeVerifyEmail, t0); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("alice's pending code after SetEmail: %v, want gone", err)
		}
		if err := emails.SetEmail(ctx, bob.ID, address(t, "A@EXAMPLE.com"), nil); !errors.Is(err, domain.ErrEmailTaken) {
			t.Errorf("SetEmail(bob, alice's address in another case) error = %v, want ErrEmailTaken", err)
		}
		if err := emails.SetEmail(ctx, 9999, address(t, "n@example.com"), nil); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("SetEmail(unknown account) error = %v, want ErrNotFound", err)
		}
	})
}
