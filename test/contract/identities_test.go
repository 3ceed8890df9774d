package contract

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestIdentityStore: identities are unique by (provider, subject) and one
// per provider and account; an account made with an identity is one
// transaction (a taken name stores neither); unlinking refuses the last
// way to sign in, also when two unlinks race; identities go with their
// account.
func TestIdentityStore(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store, events := sqlstore.NewUserStore(db), sqlstore.NewIdentityStore(db), sqlstore.NewEventStore(db)
		alice := createUser(t, users, "alice") // has a password
		gh := domain.Identity{UserID: alice.ID, Provider: "github", Subject: "42", Name: "alice-gh", LinkedAt: t0}
		linked := domain.SecurityEvent{Kind: domain.EventIdentityLinked, UserID: alice.ID, Detail: "github", At: t0}
		if err := store.Link(ctx, gh, linked); err != nil {
			t.Fatalf("Link() error = %v", err)
		}
		got, err := store.BySubject(ctx, "github", "42")
		if err != nil || got.UserID != alice.ID || got.Name != "alice-gh" || !got.LinkedAt.Equal(ms(t0)) {
			t.Fatalf("BySubject() = %+v, %v, want alice's identity", got, err)
		}
		if _, err := store.BySubject(ctx, "google", "42"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("BySubject(other provider, same subject) error = %v, want %v", err, domain.ErrNotFound)
		}
		if list, _ := events.ListByUser(ctx, alice.ID, []domain.EventKind{domain.EventIdentityLinked}, 5); len(list) != 1 {
			t.Errorf("events after Link() = %v, want the identity_linked event stored with it", list)
		}
		bob := createUser(t, users, "bob")
		if err := store.Link(ctx, domain.Identity{UserID: bob.ID, Provider: "github", Subject: "42", LinkedAt: t0}); !errors.Is(err, domain.ErrIdentityTaken) {
			t.Errorf("Link(identity of alice's to bob) error = %v, want %v", err, domain.ErrIdentityTaken)
		}
		if err := store.Link(ctx, domain.Identity{UserID: alice.ID, Provider: "github", Subject: "43", LinkedAt: t0}); !errors.Is(err, domain.ErrIdentityTaken) {
			t.Errorf("Link(second github identity to alice) error = %v, want %v", err, domain.ErrIdentityTaken)
		}
		if err := store.Link(ctx, domain.Identity{UserID: 9999, Provider: "google", Subject: "x", LinkedAt: t0}); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Link(unknown account) error = %v, want %v", err, domain.ErrNotFound)
		}
		if err := store.Link(ctx, domain.Identity{UserID: alice.ID, Provider: "google", Subject: "g-1", LinkedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if list, err := store.ListByUser(ctx, alice.ID); err != nil || len(list) != 2 || list[0].Provider != "github" || list[1].Provider != "google" {
			t.Errorf("ListByUser() = %+v, %v, want github then google", list, err)
		}
		page, err := users.List(ctx, usecase.UserQuery{Limit: 10, Now: t0})
		if err != nil || len(page.Users) != 2 || !slices.Equal(page.Users[0].Providers, []string{"github", "google"}) || len(page.Users[1].Providers) != 0 {
			t.Errorf("List() = %+v, %v, want alice with github and google, bob with none", page.Users, err)
		}

		// An account made with an identity: no password, the address
		// verified, the events about the new account.
		name, _ := domain.NewUsername("carol")
		addr, _ := domain.NewEmailAddress("carol@example.com")
		carol, err := store.CreateAccount(ctx, domain.User{Username: name, CreatedAt: t0, Email: addr},
			domain.Identity{Provider: "google", Subject: "g-carol", Name: "carol@example.com", LinkedAt: t0},
			domain.SecurityEvent{Kind: domain.EventSignup, At: t0}, domain.SecurityEvent{Kind: domain.EventIdentityLinked, Detail: "google", At: t0})
		if err != nil || carol.ID == 0 || carol.HasPassword() || carol.Email.String() != "carol@example.com" || carol.CredentialVersion != domain.FirstCredentialVersion {
			t.Fatalf("CreateAccount() = %+v, %v, want a password-less account with its address", carol, err)
		}
		if id, err := store.BySubject(ctx, "google", "g-carol"); err != nil || id.UserID != carol.ID {
			t.Errorf("BySubject(carol's) = %+v, %v, want carol's", id, err)
		}
		if list, _ := events.ListByUser(ctx, carol.ID, nil, 5); len(list) != 2 {
			t.Errorf("carol's events = %v, want signup and identity_linked", list)
		}
		// A taken name, a taken address, a taken identity: nothing stored.
		for _, tc := range []struct {
			name, subject, email string
			want                 error
		}{
			{"ALICE", "g-new", "", domain.ErrUsernameTaken},
			{"dave", "g-new", "CAROL@example.com", domain.ErrEmailTaken},
			{"dave", "g-carol", "", domain.ErrIdentityTaken},
		} {
			n, _ := domain.NewUsername(tc.name)
			var e domain.EmailAddress
			if tc.email != "" {
				e, _ = domain.NewEmailAddress(tc.email)
			}
			_, err := store.CreateAccount(ctx, domain.User{Username: n, CreatedAt: t0, Email: e},
				domain.Identity{Provider: "google", Subject: tc.subject, LinkedAt: t0})
			if !errors.Is(err, tc.want) {
				t.Errorf("CreateAccount(%s, %s, %q) error = %v, want %v", tc.name, tc.subject, tc.email, err, tc.want)
			}
		}
		dave, _ := domain.NewUsername("dave")
		if _, err := users.ByUsername(ctx, dave); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByUsername(dave) after failed CreateAccount error = %v, want %v: nothing half-written", err, domain.ErrNotFound)
		}
		if _, err := store.BySubject(ctx, "google", "g-new"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("BySubject(g-new) after failed CreateAccount error = %v, want %v", err, domain.ErrNotFound)
		}

		// Unlink: alice has a password, so both identities may go.
		if err := store.Unlink(ctx, alice.ID, "github", domain.SecurityEvent{Kind: domain.EventIdentityUnlinked, UserID: alice.ID, At: t0}); err != nil {
			t.Errorf("Unlink(alice github) error = %v", err)
		}
		if err := store.Unlink(ctx, alice.ID, "github"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Unlink(again) error = %v, want %v", err, domain.ErrNotFound)
		}
		// carol has no password and one identity: refused.
		if err := store.Unlink(ctx, carol.ID, "google"); !errors.Is(err, domain.ErrLastSignInMethod) {
			t.Errorf("Unlink(carol's only way in) error = %v, want %v", err, domain.ErrLastSignInMethod)
		}
		// With two identities and no password, two unlinks racing leave one.
		if err := store.Link(ctx, domain.Identity{UserID: carol.ID, Provider: "github", Subject: "c-gh", LinkedAt: t0}); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for _, p := range []string{"github", "google", "github", "google"} {
			wg.Go(func() {
				switch err := store.Unlink(ctx, carol.ID, p); {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, domain.ErrLastSignInMethod), errors.Is(err, domain.ErrNotFound):
				default:
					t.Errorf("Unlink() concurrently error = %v", err)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("4 racing Unlink() of a password-less account with 2 identities succeeded %d times, want exactly 1", n)
		}
		if list, _ := store.ListByUser(ctx, carol.ID); len(list) != 1 {
			t.Errorf("carol's identities after racing unlinks = %+v, want exactly one left", list)
		}
		if err := users.Delete(ctx, carol.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := store.ListByUser(ctx, carol.ID); len(list) != 0 {
			t.Errorf("identities of a deleted account = %+v, want none", list)
		}
	})
}

// TestSocialFlowStore: a state is consumed once (also by concurrent
// calls) and returned whole, not once expired; pending identities are
// found while open and consumed once; expired ones are purged.
func TestSocialFlowStore(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users, store := sqlstore.NewUserStore(db), sqlstore.NewSocialFlowStore(db)
		alice := createUser(t, users, "alice")
		st := domain.SocialState{TokenHash: hashOf(1), Provider: "google", Purpose: domain.SocialPurposeConnect, UserID: alice.ID,
			Nonce: "n-1", Verifier: "v-1", Next: "/account", CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute)}
		if err := store.CreateState(ctx, st); err != nil {
			t.Fatalf("CreateState() error = %v", err)
		}
		if _, err := store.ConsumeState(ctx, st.TokenHash, st.ExpiresAt); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ConsumeState(at expiry) error = %v, want %v", err, domain.ErrNotFound)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				got, err := store.ConsumeState(ctx, st.TokenHash, t0)
				switch {
				case err == nil:
					wins.Add(1)
					if got.Provider != "google" || got.Purpose != domain.SocialPurposeConnect || got.UserID != alice.ID ||
						got.Nonce != "n-1" || got.Verifier != "v-1" || got.Next != "/account" || !got.ExpiresAt.Equal(ms(st.ExpiresAt)) {
						t.Errorf("ConsumeState() = %+v, want the stored state", got)
					}
				case !errors.Is(err, domain.ErrNotFound):
					t.Errorf("ConsumeState() concurrently error = %v", err)
				}
			})
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Errorf("8 concurrent ConsumeState() succeeded %d times, want exactly 1", n)
		}
		login := st
		login.TokenHash, login.Purpose, login.UserID = hashOf(2), domain.SocialPurposeLogin, 0
		if err := store.CreateState(ctx, login); err != nil {
			t.Fatalf("CreateState(login, no account) error = %v", err)
		}
		if got, err := store.ConsumeState(ctx, login.TokenHash, t0); err != nil || got.UserID != 0 {
			t.Errorf("ConsumeState(login) = %+v, %v", got, err)
		}

		p := domain.PendingIdentity{TokenHash: hashOf(3), Next: "/", CreatedAt: t0, ExpiresAt: t0.Add(10 * time.Minute),
			External: domain.ExternalIdentity{Provider: "github", Subject: "7", Email: "a@example.com", EmailVerified: true, PreferredName: "octo", Name: "Octo Cat"}}
		if err := store.CreatePending(ctx, p); err != nil {
			t.Fatalf("CreatePending() error = %v", err)
		}
		got, err := store.Pending(ctx, p.TokenHash, t0)
		if err != nil || got.External != p.External || got.Next != "/" {
			t.Fatalf("Pending() = %+v, %v, want the stored identity", got, err)
		}
		if _, err := store.Pending(ctx, p.TokenHash, p.ExpiresAt); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Pending(at expiry) error = %v, want %v", err, domain.ErrNotFound)
		}
		if err := store.ConsumePending(ctx, p.TokenHash); err != nil {
			t.Errorf("ConsumePending() error = %v", err)
		}
		if err := store.ConsumePending(ctx, p.TokenHash); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ConsumePending(again) error = %v, want %v", err, domain.ErrNotFound)
		}
		old := p
		old.TokenHash, old.ExpiresAt = hashOf(4), t0.Add(-time.Second)
		oldState := st
		oldState.TokenHash, oldState.ExpiresAt = hashOf(5), t0.Add(-time.Second)
		if err := store.CreatePending(ctx, old); err != nil {
			t.Fatal(err)
		}
		if err := store.CreateState(ctx, oldState); err != nil {
			t.Fatal(err)
		}
		if n, err := store.DeleteExpired(ctx, t0); err != nil || n != 2 {
			t.Errorf("DeleteExpired() = %d, %v, want 2", n, err)
		}
	})
}
