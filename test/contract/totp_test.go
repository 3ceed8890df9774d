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

// TestTOTPStoreEnrollment: a pending secret is stored, replaced while
// pending, enabled once (moving the credential version on), and then no
// longer replaced; deleting it moves the version on again.
func TestTOTPStoreEnrollment(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewTOTPStore(db)
		alice := createUser(t, users, "alice")

		if _, err := store.ByUser(ctx, alice.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("ByUser(no secret) error = %v, want %v", err, domain.ErrNotFound)
		}
		if _, _, err := store.Enable(ctx, alice.ID, 5, t0); err != nil {
			t.Fatalf("Enable(no secret) error = %v", err)
		}
		for i, sealed := range [][]byte{[]byte("first"), []byte("second")} {
			stored, err := store.PutPending(ctx, domain.TOTP{UserID: alice.ID, Sealed: sealed, CreatedAt: t0.In(jst)})
			if err != nil || !stored {
				t.Fatalf("PutPending(#%d) = %v, %v, want true, nil", i, stored, err)
			}
		}
		got, err := store.ByUser(ctx, alice.ID)
		if err != nil || !bytes.Equal(got.Sealed, []byte("second")) || got.Enabled() || got.LastStep != 0 || !got.CreatedAt.Equal(ms(t0)) || got.CreatedAt.Location() != time.UTC {
			t.Fatalf("ByUser(pending) = %+v, %v, want the second secret, pending, created %v UTC", got, err, ms(t0))
		}
		if ok, err := store.UseStep(ctx, alice.ID, 10); err != nil || ok {
			t.Errorf("UseStep(pending secret) = %v, %v, want false: a pending secret accepts no code", ok, err)
		}

		version, ok, err := store.Enable(ctx, alice.ID, 7, t0)
		if err != nil || !ok || version != alice.CredentialVersion+1 {
			t.Fatalf("Enable() = %d, %v, %v, want %d, true, nil", version, ok, err, alice.CredentialVersion+1)
		}
		if _, ok, err := store.Enable(ctx, alice.ID, 8, t0); err != nil || ok {
			t.Errorf("Enable(enabled) = %v, %v, want false, nil", ok, err)
		}
		if stored, err := store.PutPending(ctx, domain.TOTP{UserID: alice.ID, Sealed: []byte("third"), CreatedAt: t0}); err != nil || stored {
			t.Errorf("PutPending(enabled) = %v, %v, want false, nil: an enabled secret is not replaced", stored, err)
		}
		got, err = store.ByUser(ctx, alice.ID)
		if err != nil || !bytes.Equal(got.Sealed, []byte("second")) || !got.Enabled() || got.LastStep != 7 {
			t.Fatalf("ByUser(enabled) = %+v, %v, want the second secret, enabled, last step 7", got, err)
		}
		u, err := users.ByID(ctx, alice.ID)
		if err != nil || u.CredentialVersion != version {
			t.Errorf("credential version after Enable = %d (%v), want %d", u.CredentialVersion, err, version)
		}

		deleted, err := store.Delete(ctx, alice.ID)
		if err != nil || deleted != version+1 {
			t.Fatalf("Delete() = %d, %v, want %d, nil", deleted, err, version+1)
		}
		if _, err := store.Delete(ctx, alice.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Delete(twice) error = %v, want %v", err, domain.ErrNotFound)
		}
		if u, _ := users.ByID(ctx, alice.ID); u.CredentialVersion != deleted {
			t.Errorf("credential version after a refused Delete = %d, want %d (unchanged)", u.CredentialVersion, deleted)
		}
		if _, err := store.ByUser(ctx, alice.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByUser(deleted) error = %v, want %v", err, domain.ErrNotFound)
		}
		if _, err := store.PutPending(ctx, domain.TOTP{UserID: 9999, Sealed: []byte("x"), CreatedAt: t0}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("PutPending(unknown account) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

// TestTOTPStoreUseStepOnce: a time step is accepted once, only when newer
// than the last, even by concurrent calls; the secret goes with its
// account.
func TestTOTPStoreUseStepOnce(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewTOTPStore(db)
		alice := createUser(t, users, "alice")
		if _, err := store.PutPending(ctx, domain.TOTP{UserID: alice.ID, Sealed: []byte("s"), CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := store.Enable(ctx, alice.ID, 100, t0); err != nil {
			t.Fatal(err)
		}
		for _, step := range []int64{100, 99} {
			if ok, err := store.UseStep(ctx, alice.ID, step); err != nil || ok {
				t.Errorf("UseStep(%d; last 100) = %v, %v, want false: a replay", step, ok, err)
			}
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, err := store.UseStep(ctx, alice.ID, 101)
				if err != nil {
					t.Errorf("UseStep(101) concurrently error = %v", err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("8 concurrent UseStep(101) accepted %d times, want exactly 1", n)
		}
		if err := users.Delete(ctx, alice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.ByUser(ctx, alice.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByUser(deleted account) error = %v, want %v: the secret goes with it", err, domain.ErrNotFound)
		}
	})
}
