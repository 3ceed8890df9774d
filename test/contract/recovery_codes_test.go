package contract

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// recoveryFixture is an account with an enabled authenticator app whose
// enrollment stored codes.
type recoveryFixture struct {
	users  *sqlstore.UserStore
	totp   *sqlstore.TOTPStore
	codes  *sqlstore.RecoveryCodeStore
	outbox *sqlstore.OutboxStore
	events *sqlstore.EventStore
	alice  domain.User
	// version is alice's credential version after the enrollment.
	version int64
}

func newRecoveryFixture(t *testing.T, db *bun.DB, codes ...[]byte) *recoveryFixture {
	t.Helper()
	ctx := context.Background()
	f := &recoveryFixture{
		users: sqlstore.NewUserStore(db), totp: sqlstore.NewTOTPStore(db), codes: sqlstore.NewRecoveryCodeStore(db),
		outbox: sqlstore.NewOutboxStore(db), events: sqlstore.NewEventStore(db),
	}
	f.alice = createUser(t, f.users, "alice")
	if _, err := f.totp.PutPending(ctx, domain.TOTP{UserID: f.alice.ID, Sealed: []byte("s"), CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	version, ok, err := f.totp.Enable(ctx, f.alice.ID, 1, t0, codes...)
	if err != nil || !ok {
		t.Fatalf("Enable(with %d codes) = %v, %v", len(codes), ok, err)
	}
	f.version = version
	return f
}

func codeHashes(prefix string, n int) [][]byte {
	var out [][]byte
	for i := range n {
		out = append(out, []byte(prefix+string(rune('a'+i))))
	}
	return out
}

// TestRecoveryCodeStoreLifecycle: the enrollment stores the codes with
// the secret (one credential version step); List returns them, Count
// counts them; Replace swaps the whole set, records its events and moves
// the version on, and needs an enabled app; deleting the secret, and the
// account, removes them.
func TestRecoveryCodeStoreLifecycle(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		f := newRecoveryFixture(t, db, codeHashes("first-", 10)...)
		if f.version != f.alice.CredentialVersion+1 {
			t.Errorf("Enable(with codes) version = %d, want %d: one step", f.version, f.alice.CredentialVersion+1)
		}
		list, err := f.codes.List(ctx, f.alice.ID)
		if err != nil || len(list) != 10 {
			t.Fatalf("List() = %d codes, %v, want 10", len(list), err)
		}
		for i, c := range list {
			if c.UserID != f.alice.ID || !bytes.Equal(c.Hash, []byte("first-"+string(rune('a'+i)))) || !c.CreatedAt.Equal(ms(t0)) || c.ID == 0 {
				t.Errorf("List()[%d] = %+v, want first-%c of alice, created %v", i, c, 'a'+i, ms(t0))
			}
		}
		if n, err := f.codes.Count(ctx, f.alice.ID); err != nil || n != 10 {
			t.Errorf("Count() = %d, %v, want 10", n, err)
		}

		event := domain.SecurityEvent{Kind: domain.EventRecoveryCodesNew, UserID: f.alice.ID, At: t0}
		version, err := f.codes.Replace(ctx, f.alice.ID, codeHashes("second-", 10), t0.Add(time.Hour), event)
		if err != nil || version != f.version+1 {
			t.Fatalf("Replace() = %d, %v, want %d", version, err, f.version+1)
		}
		list, _ = f.codes.List(ctx, f.alice.ID)
		if len(list) != 10 || !bytes.Equal(list[0].Hash, []byte("second-a")) || !list[0].CreatedAt.Equal(ms(t0.Add(time.Hour))) {
			t.Errorf("List() after Replace = %d codes, first %+v, want the ten new ones", len(list), list)
		}
		if got, _ := f.events.ListByUser(ctx, f.alice.ID, []domain.EventKind{domain.EventRecoveryCodesNew}, 10); len(got) != 1 {
			t.Errorf("%d %s events after Replace, want 1 (stored with the codes)", len(got), domain.EventRecoveryCodesNew)
		}

		bob := createUser(t, f.users, "bob")
		if _, err := f.codes.Replace(ctx, bob.ID, codeHashes("x", 2), t0); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Replace(no authenticator app) error = %v, want %v", err, domain.ErrNotFound)
		}
		if n, _ := f.codes.Count(ctx, bob.ID); n != 0 {
			t.Errorf("Count(bob) = %d after a refused Replace, want 0", n)
		}
		if u, _ := f.users.ByID(ctx, bob.ID); u.CredentialVersion != bob.CredentialVersion {
			t.Errorf("a refused Replace moved the credential version to %d", u.CredentialVersion)
		}

		if _, err := f.totp.Delete(ctx, f.alice.ID); err != nil {
			t.Fatal(err)
		}
		if n, err := f.codes.Count(ctx, f.alice.ID); err != nil || n != 0 {
			t.Errorf("Count() after the secret's Delete = %d, %v, want 0: the codes go with it", n, err)
		}

		g := newRecoveryFixture(t, b.newDB(t), codeHashes("g", 3)...)
		if err := g.users.Delete(ctx, g.alice.ID); err != nil {
			t.Fatal(err)
		}
		if list, err := g.codes.List(ctx, g.alice.ID); err != nil || len(list) != 0 {
			t.Errorf("List(deleted account) = %d codes, %v, want none: the codes go with the account", len(list), err)
		}
	})
}

// TestRecoveryCodeStoreEnableReplacesCodes: enabling again after a
// Delete stores the new set only; enabling without codes stores none.
func TestRecoveryCodeStoreEnableReplacesCodes(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		f := newRecoveryFixture(t, b.newDB(t))
		if n, _ := f.codes.Count(ctx, f.alice.ID); n != 0 {
			t.Errorf("Count() after Enable without codes = %d, want 0", n)
		}
		if _, err := f.totp.Delete(ctx, f.alice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.totp.PutPending(ctx, domain.TOTP{UserID: f.alice.ID, Sealed: []byte("t"), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.totp.Enable(ctx, f.alice.ID, 2, t0, codeHashes("new", 4)...); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.codes.Count(ctx, f.alice.ID); n != 4 {
			t.Errorf("Count() after the second enrollment = %d, want 4", n)
		}
	})
}

// TestRecoveryCodeStoreUseOnce: a code is consumed once, with its event
// and mail in the same transaction; of concurrent uses of one code
// exactly one succeeds (and only its event and mail are stored); another
// account's code id is not usable.
func TestRecoveryCodeStoreUseOnce(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		f := newRecoveryFixture(t, b.newDB(t), codeHashes("c", 3)...)
		list, _ := f.codes.List(ctx, f.alice.ID)
		bob := createUser(t, f.users, "bob")
		if ok, err := f.codes.Use(ctx, bob.ID, list[0].ID, nil); err != nil || ok {
			t.Errorf("Use(alice's code as bob) = %v, %v, want false", ok, err)
		}

		event := domain.SecurityEvent{Kind: domain.EventRecoveryCodeUsed, UserID: f.alice.ID, At: t0}
		mail := domain.QueuedMail{Kind: domain.MailRecoveryCodeUsed, UserID: f.alice.ID, CreatedAt: t0,
			Email: domain.Email{To: "alice@example.com", Subject: "s", Text: "t", HTML: "h", MessageID: "m@example.com"}}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, err := f.codes.Use(ctx, f.alice.ID, list[0].ID, []domain.SecurityEvent{event}, mail)
				if err != nil {
					t.Errorf("Use() concurrently error = %v", err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("8 concurrent Use() of one code succeeded %d times, want exactly 1", n)
		}
		if n, _ := f.codes.Count(ctx, f.alice.ID); n != 2 {
			t.Errorf("Count() after one use = %d, want 2", n)
		}
		if got, _ := f.events.ListByUser(ctx, f.alice.ID, []domain.EventKind{domain.EventRecoveryCodeUsed}, 10); len(got) != 1 {
			t.Errorf("%d %s events, want 1: only the winner's", len(got), domain.EventRecoveryCodeUsed)
		}
		if got, _ := f.outbox.List(ctx, nil, 10); len(got) != 1 || got[0].Kind != domain.MailRecoveryCodeUsed {
			t.Errorf("outbox = %+v, want the winner's one notice", got)
		}
	})
}

// TestTOTPStoreDeleteEnqueuesMail: the notice of a disabled second factor
// is stored with the Delete; a refused Delete stores none.
func TestTOTPStoreDeleteEnqueuesMail(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		f := newRecoveryFixture(t, b.newDB(t))
		mail := domain.QueuedMail{Kind: domain.MailTwoFactorDisabled, UserID: f.alice.ID, CreatedAt: t0,
			Email: domain.Email{To: "alice@example.com", Subject: "s", Text: "t", HTML: "h", MessageID: "n@example.com"}}
		if _, err := f.totp.Delete(ctx, f.alice.ID, mail); err != nil {
			t.Fatal(err)
		}
		if _, err := f.totp.Delete(ctx, f.alice.ID, mail); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("Delete(twice) error = %v, want %v", err, domain.ErrNotFound)
		}
		if got, _ := f.outbox.List(ctx, nil, 10); len(got) != 1 || got[0].Kind != domain.MailTwoFactorDisabled {
			t.Errorf("outbox = %+v, want one notice: the refused Delete enqueues none", got)
		}
	})
}

// TestSessionStoreTwoFactorMark: a session keeps when its login passed a
// second factor (milliseconds, UTC), through every lookup; a
// password-only session has none.
func TestSessionStoreTwoFactorMark(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, sessions := sqlstore.NewUserStore(db), sqlstore.NewSessionStore(db)
		alice := createUser(t, users, "alice")
		marked := session(alice.ID, 1, t0.Add(time.Hour))
		marked.TwoFactorAt = t0.In(jst)
		stored := createSession(t, sessions, marked)
		plain := createSession(t, sessions, session(alice.ID, 2, t0.Add(time.Hour)))

		byHash, err := sessions.ByTokenHash(ctx, marked.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		withUser, _, err := sessions.ByTokenHashWithUser(ctx, marked.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		list, err := sessions.ListByUser(ctx, alice.ID, t0)
		if err != nil || len(list) != 2 {
			t.Fatalf("ListByUser() = %d, %v", len(list), err)
		}
		for what, s := range map[string]domain.Session{"Create": stored, "ByTokenHash": byHash, "ByTokenHashWithUser": withUser, "ListByUser": list[1]} {
			if !s.TwoFactor() || !s.TwoFactorAt.Equal(ms(t0)) || s.TwoFactorAt.Location() != time.UTC {
				t.Errorf("%s: two-factor at %v, want %v UTC", what, s.TwoFactorAt, ms(t0))
			}
		}
		plainBack, _, _ := sessions.ByTokenHashWithUser(ctx, plain.TokenHash)
		if plain.TwoFactor() || plainBack.TwoFactor() || list[0].TwoFactor() {
			t.Errorf("a password-only session reads as two-factor")
		}
	})
}

// TestUserListTwoFactor: the admin's list says whose second factor is on
// (enabled, not pending) and how many passkeys each account has.
func TestUserListTwoFactor(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		f := newRecoveryFixture(t, db)
		pending := createUser(t, f.users, "bob")
		if _, err := f.totp.PutPending(ctx, domain.TOTP{UserID: pending.ID, Sealed: []byte("p"), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		carol := createUser(t, f.users, "carol")
		keys := sqlstore.NewPasskeyStore(db)
		for _, id := range []string{"k1", "k2"} {
			if _, _, err := keys.Add(ctx, domain.Passkey{UserID: carol.ID, CredentialID: []byte(id), PublicKey: []byte("k"), Name: passkeyName(t, id), CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		page, err := f.users.List(ctx, usecase.UserQuery{Limit: 10, Now: t0})
		if err != nil || len(page.Users) != 3 {
			t.Fatalf("List() = %+v, %v", page, err)
		}
		want := map[string]bool{"alice": true, "bob": false, "carol": false}
		wantKeys := map[string]int{"alice": 0, "bob": 0, "carol": 2}
		for _, s := range page.Users {
			if s.TwoFactor != want[s.User.Username.String()] {
				t.Errorf("List(): %s TwoFactor = %v, want %v", s.User.Username, s.TwoFactor, want[s.User.Username.String()])
			}
			if s.Passkeys != wantKeys[s.User.Username.String()] {
				t.Errorf("List(): %s Passkeys = %d, want %d", s.User.Username, s.Passkeys, wantKeys[s.User.Username.String()])
			}
		}
	})
}
