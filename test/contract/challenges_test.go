package contract

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// TestChallengeStore: a challenge is found while open, consumed once
// (also by concurrent calls), not found or consumed once expired, purged
// when expired, and goes with its account.
func TestChallengeStore(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewChallengeStore(db)
		alice := createUser(t, users, "alice")
		open := domain.LoginChallenge{TokenHash: hashOf(1), UserID: alice.ID, CredentialVersion: 3, Remember: true, CreatedAt: t0.In(jst), ExpiresAt: t0.Add(5 * time.Minute)}
		if err := store.Create(ctx, open); err != nil {
			t.Fatalf("Create() error = %v", err)
		}
		got, err := store.Get(ctx, open.TokenHash, t0)
		if err != nil || got.UserID != alice.ID || got.CredentialVersion != 3 || !got.Remember || !got.CreatedAt.Equal(ms(t0)) || !got.ExpiresAt.Equal(ms(open.ExpiresAt)) {
			t.Fatalf("Get() = %+v, %v, want the stored challenge", got, err)
		}
		if _, err := store.Get(ctx, open.TokenHash, open.ExpiresAt); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Get(at expiry) error = %v, want %v", err, domain.ErrNotFound)
		}
		if err := store.Consume(ctx, open.TokenHash, open.ExpiresAt); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Consume(at expiry) error = %v, want %v", err, domain.ErrNotFound)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				err := store.Consume(ctx, open.TokenHash, t0)
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, domain.ErrNotFound):
					t.Errorf("Consume() concurrently error = %v", err)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("8 concurrent Consume() succeeded %d times, want exactly 1", n)
		}
		if _, err := store.Get(ctx, open.TokenHash, t0); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Get(consumed) error = %v, want %v", err, domain.ErrNotFound)
		}

		expired := open
		expired.TokenHash, expired.ExpiresAt = hashOf(2), t0.Add(-time.Second)
		kept := open
		kept.TokenHash = hashOf(3)
		for _, c := range []domain.LoginChallenge{expired, kept} {
			if err := store.Create(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := store.DeleteExpired(ctx, t0); err != nil || n != 1 {
			t.Errorf("DeleteExpired() = %d, %v, want 1", n, err)
		}
		if err := store.Create(ctx, domain.LoginChallenge{TokenHash: hashOf(4), UserID: 9999, CreatedAt: t0, ExpiresAt: t0}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Create(unknown account) error = %v, want %v", err, domain.ErrNotFound)
		}
		if err := users.Delete(ctx, alice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Get(ctx, kept.TokenHash, t0); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Get(challenge of a deleted account) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}
