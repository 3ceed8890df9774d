package contract

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

func passkeyName(t *testing.T, raw string) domain.PasskeyName {
	t.Helper()
	n, err := domain.NewPasskeyName(raw)
	if err != nil {
		t.Fatalf("NewPasskeyName(%q) error = %v", raw, err)
	}
	return n
}

// TestPasskeyStoreUserHandle: an account's handle is made once and kept,
// found by its bytes, and goes with the account.
func TestPasskeyStoreUserHandle(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewPasskeyStore(db)
		alice := createUser(t, users, "alice")
		h, err := store.UserHandle(ctx, alice.ID, []byte("first-handle"))
		if err != nil || string(h) != "first-handle" {
			t.Fatalf("UserHandle(new) = %q, %v, want first-handle", h, err)
		}
		if h, err := store.UserHandle(ctx, alice.ID, []byte("second-handle")); err != nil || string(h) != "first-handle" {
			t.Errorf("UserHandle(again) = %q, %v, want the first handle kept", h, err)
		}
		if id, err := store.UserByHandle(ctx, []byte("first-handle")); err != nil || id != alice.ID {
			t.Errorf("UserByHandle() = %d, %v, want %d", id, err, alice.ID)
		}
		if _, err := store.UserByHandle(ctx, []byte("second-handle")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("UserByHandle(unknown) error = %v, want %v", err, domain.ErrNotFound)
		}
		if _, err := store.UserHandle(ctx, 9999, []byte("x")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("UserHandle(unknown account) error = %v, want %v", err, domain.ErrNotFound)
		}
		if err := users.Delete(ctx, alice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.UserByHandle(ctx, []byte("first-handle")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("UserByHandle(deleted account) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

// TestPasskeyStoreLifecycle: a passkey is added (moving the credential
// version on, with its event), listed with every field, renamed, refused
// a second time under another account, and removed (moving the version on
// again); RemoveAll empties the account.
func TestPasskeyStoreLifecycle(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store, events := sqlstore.NewUserStore(db), sqlstore.NewPasskeyStore(db), sqlstore.NewEventStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		want := domain.Passkey{
			UserID: alice.ID, CredentialID: []byte("cred-1"), PublicKey: []byte("key-1"), SignCount: 7,
			Transports: []string{"internal", "hybrid"}, AAGUID: bytes.Repeat([]byte{1}, 16),
			AttestationType: "none", AttestationFormat: "none", UserVerified: true, BackupEligible: true, BackupState: true,
			Name: passkeyName(t, "Laptop"), CreatedAt: t0.In(jst),
		}
		added, version, err := store.Add(ctx, want, domain.SecurityEvent{Kind: domain.EventPasskeyAdded, UserID: alice.ID, At: t0})
		if err != nil || added.ID == 0 || version != alice.CredentialVersion+1 {
			t.Fatalf("Add() = %+v, %d, %v, want an ID and version %d", added, version, err, alice.CredentialVersion+1)
		}
		if u, _ := users.ByID(ctx, alice.ID); u.CredentialVersion != version {
			t.Errorf("credential version after Add = %d, want %d", u.CredentialVersion, version)
		}
		if evs, _ := events.ListByUser(ctx, alice.ID, []domain.EventKind{domain.EventPasskeyAdded}, 5); len(evs) != 1 {
			t.Errorf("events after Add = %+v, want one %s", evs, domain.EventPasskeyAdded)
		}
		list, err := store.ListByUser(ctx, alice.ID)
		if err != nil || len(list) != 1 {
			t.Fatalf("ListByUser() = %+v, %v, want one passkey", list, err)
		}
		got := list[0]
		if got.ID != added.ID || !bytes.Equal(got.CredentialID, want.CredentialID) || !bytes.Equal(got.PublicKey, want.PublicKey) ||
			got.SignCount != 7 || len(got.Transports) != 2 || got.Transports[1] != "hybrid" || !bytes.Equal(got.AAGUID, want.AAGUID) ||
			got.AttestationFormat != "none" || !got.UserVerified || !got.BackupEligible || !got.BackupState ||
			got.Name.String() != "Laptop" || !got.CreatedAt.Equal(ms(t0)) || got.CreatedAt.Location() != time.UTC || !got.LastUsedAt.IsZero() {
			t.Errorf("ListByUser()[0] = %+v, want %+v back, created %v UTC, never used", got, want, ms(t0))
		}
		dup := want
		dup.UserID = bob.ID
		if _, _, err := store.Add(ctx, dup); !errors.Is(err, domain.ErrPasskeyTaken) {
			t.Errorf("Add(same credential for bob) error = %v, want %v", err, domain.ErrPasskeyTaken)
		}
		if u, _ := users.ByID(ctx, bob.ID); u.CredentialVersion != bob.CredentialVersion {
			t.Errorf("bob's credential version after a refused Add = %d, want %d", u.CredentialVersion, bob.CredentialVersion)
		}

		if err := store.Rename(ctx, bob.ID, added.ID, passkeyName(t, "Stolen")); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Rename(another's passkey) error = %v, want %v", err, domain.ErrNotFound)
		}
		if err := store.Rename(ctx, alice.ID, added.ID, passkeyName(t, "Work laptop")); err != nil {
			t.Fatalf("Rename() error = %v", err)
		}
		if list, _ := store.ListByUser(ctx, alice.ID); list[0].Name.String() != "Work laptop" {
			t.Errorf("name after Rename = %q, want Work laptop", list[0].Name)
		}

		if _, err := store.Remove(ctx, bob.ID, added.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Remove(another's passkey) error = %v, want %v", err, domain.ErrNotFound)
		}
		removed, err := store.Remove(ctx, alice.ID, added.ID)
		if err != nil || removed != version+1 {
			t.Fatalf("Remove() = %d, %v, want %d", removed, err, version+1)
		}
		if list, _ := store.ListByUser(ctx, alice.ID); len(list) != 0 {
			t.Errorf("ListByUser(after Remove) = %+v, want none", list)
		}

		for i, id := range []string{"a", "b"} {
			p := want
			p.CredentialID = []byte(id)
			if _, _, err := store.Add(ctx, p); err != nil {
				t.Fatalf("Add(#%d) error = %v", i, err)
			}
		}
		before, _ := users.ByID(ctx, alice.ID)
		if n, err := store.RemoveAll(ctx, alice.ID); err != nil || n != 2 {
			t.Errorf("RemoveAll() = %d, %v, want 2", n, err)
		}
		after, _ := users.ByID(ctx, alice.ID)
		if after.CredentialVersion != before.CredentialVersion+1 {
			t.Errorf("credential version after RemoveAll = %d, want %d", after.CredentialVersion, before.CredentialVersion+1)
		}
		if n, err := store.RemoveAll(ctx, alice.ID); err != nil || n != 0 {
			t.Errorf("RemoveAll(none) = %d, %v, want 0", n, err)
		}
		if u, _ := users.ByID(ctx, alice.ID); u.CredentialVersion != after.CredentialVersion {
			t.Errorf("credential version after an empty RemoveAll = %d, want %d (unchanged)", u.CredentialVersion, after.CredentialVersion)
		}
	})
}

// TestPasskeyStoreRecordUse: the counter only moves forward (a counter of
// zero may stay zero), once among concurrent answers with one value.
func TestPasskeyStoreRecordUse(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewPasskeyStore(db)
		alice := createUser(t, users, "alice")
		zero, _, err := store.Add(ctx, domain.Passkey{UserID: alice.ID, CredentialID: []byte("z"), PublicKey: []byte("k"), Name: passkeyName(t, "Synced"), CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if ok, err := store.RecordUse(ctx, zero.ID, 0, true, t0); err != nil || !ok {
				t.Errorf("RecordUse(counter 0 kept at 0) = %v, %v, want true: some authenticators keep no counter", ok, err)
			}
		}
		counted, _, err := store.Add(ctx, domain.Passkey{UserID: alice.ID, CredentialID: []byte("c"), PublicKey: []byte("k"), SignCount: 10, Name: passkeyName(t, "Key"), CreatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []uint32{10, 9, 0} {
			if ok, err := store.RecordUse(ctx, counted.ID, n, false, t0); err != nil || ok {
				t.Errorf("RecordUse(%d; stored 10) = %v, %v, want false: the counter went backwards", n, ok, err)
			}
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, err := store.RecordUse(ctx, counted.ID, 11, false, t0.Add(time.Minute))
				if err != nil {
					t.Errorf("RecordUse(11) concurrently error = %v", err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("8 concurrent RecordUse(11) recorded %d times, want exactly 1", n)
		}
		list, _ := store.ListByUser(ctx, alice.ID)
		if len(list) != 2 || list[1].SignCount != 11 || !list[1].LastUsedAt.Equal(ms(t0.Add(time.Minute))) || !list[0].BackupState {
			t.Errorf("passkeys after use = %+v, want counter 11 used at %v, and the backup state recorded", list, ms(t0.Add(time.Minute)))
		}
		if ok, err := store.RecordUse(ctx, 9999, 50, false, t0); err != nil || ok {
			t.Errorf("RecordUse(unknown passkey) = %v, %v, want false", ok, err)
		}
	})
}

// TestPasskeyChallengeStore: a challenge is consumed once (even by
// concurrent calls), only for its purpose and before it expires, and the
// expired ones are purged.
func TestPasskeyChallengeStore(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewPasskeyChallengeStore(db)
		alice := createUser(t, users, "alice")
		reg := domain.PasskeyChallenge{Hash: hashOf(1), Purpose: domain.PasskeyRegister, UserID: alice.ID, State: []byte(`{"s":1}`), CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
		login := domain.PasskeyChallenge{Hash: hashOf(2), Purpose: domain.PasskeyLogin, State: []byte(`{}`), CreatedAt: t0, ExpiresAt: t0.Add(5 * time.Minute)}
		for _, c := range []domain.PasskeyChallenge{reg, login} {
			if err := store.Create(ctx, c); err != nil {
				t.Fatalf("Create(%s) error = %v", c.Purpose, err)
			}
		}
		if _, err := store.Consume(ctx, hashOf(1), domain.PasskeyLogin, t0); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Consume(registration as a login) error = %v, want %v", err, domain.ErrNotFound)
		}
		if _, err := store.Consume(ctx, hashOf(1), domain.PasskeyRegister, t0.Add(5*time.Minute)); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Consume(at expiry) error = %v, want %v", err, domain.ErrNotFound)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				got, err := store.Consume(ctx, hashOf(1), domain.PasskeyRegister, t0.Add(time.Minute))
				if err == nil {
					wins.Add(1)
					if got.UserID != alice.ID || string(got.State) != `{"s":1}` || !got.ExpiresAt.Equal(ms(reg.ExpiresAt)) {
						t.Errorf("Consume() = %+v, want the registration of alice back", got)
					}
				} else if !errors.Is(err, domain.ErrNotFound) {
					t.Errorf("Consume() concurrently error = %v", err)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("8 concurrent Consume() succeeded %d times, want exactly 1", n)
		}
		if got, err := store.Consume(ctx, hashOf(2), domain.PasskeyLogin, t0); err != nil || got.UserID != 0 {
			t.Errorf("Consume(login) = %+v, %v, want it with no account", got, err)
		}
		if err := store.Create(ctx, domain.PasskeyChallenge{Hash: hashOf(3), Purpose: domain.PasskeyRegister, UserID: 9999, State: []byte{}, CreatedAt: t0, ExpiresAt: t0}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Create(unknown account) error = %v, want %v", err, domain.ErrNotFound)
		}
		for i, exp := range []time.Time{t0.Add(time.Minute), t0.Add(time.Hour)} {
			if err := store.Create(ctx, domain.PasskeyChallenge{Hash: hashOf(byte(10 + i)), Purpose: domain.PasskeyLogin, State: []byte{}, CreatedAt: t0, ExpiresAt: exp}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := store.DeleteExpired(ctx, t0.Add(2*time.Minute)); err != nil || n != 1 {
			t.Errorf("DeleteExpired() = %d, %v, want 1", n, err)
		}
		if _, err := store.Consume(ctx, hashOf(11), domain.PasskeyLogin, t0); err != nil {
			t.Errorf("Consume(unexpired after purge) error = %v", err)
		}
	})
}
