package contract

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// session returns an unstored session for user that expires at expires,
// under the credential version of a new account.
func session(user domain.UserID, seed byte, expires time.Time) domain.Session {
	return domain.Session{
		TokenHash:         hashOf(seed),
		UserID:            user,
		CreatedAt:         t0,
		LastSeenAt:        t0,
		ExpiresAt:         expires,
		AbsoluteExpiresAt: expires.Add(time.Hour),
		CredentialVersion: domain.FirstCredentialVersion,
	}
}

func createSession(t *testing.T, sessions *sqlstore.SessionStore, s domain.Session) domain.Session {
	t.Helper()
	got, err := sessions.Create(context.Background(), s)
	if err != nil {
		t.Fatalf("Create(session for user %d) error = %v", s.UserID, err)
	}
	return got
}

func TestSessionStoreCreateAndLookup(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		sessions := sqlstore.NewSessionStore(db)
		tests := []struct {
			persistent bool
			seed       byte
			previous   domain.PreviousLogin
		}{
			{false, 1, domain.PreviousLogin{}},           // unknown: a session from before it was kept
			{true, 2, domain.PreviousLogin{Known: true}}, // the account's first login
			{false, 3, domain.PreviousLogin{Known: true, At: t0.Add(-time.Hour).In(jst), IP: "192.0.2.7"}},
		}
		for _, tt := range tests {
			persistent := tt.persistent
			in := domain.Session{
				ID:                99, // ignored: the store assigns IDs
				TokenHash:         hashOf(tt.seed),
				UserID:            alice.ID,
				Persistent:        persistent,
				CreatedAt:         t0.In(jst),
				LastSeenAt:        t0.Add(time.Second).In(jst),
				ExpiresAt:         t0.Add(30 * time.Minute),
				AbsoluteExpiresAt: t0.Add(12 * time.Hour),
				IP:                "2001:db8::1",
				UserAgent:         "Mozilla/5.0 (X11; Linux x86_64)",
				PreviousLogin:     tt.previous,
				CredentialVersion: alice.CredentialVersion,
			}
			got, err := sessions.Create(ctx, in)
			if err != nil {
				t.Fatalf("Create(persistent=%v) error = %v", persistent, err)
			}
			want := in
			want.ID = got.ID
			want.CreatedAt = ms(in.CreatedAt)
			want.LastSeenAt = ms(in.LastSeenAt)
			want.ExpiresAt = ms(in.ExpiresAt)
			want.AbsoluteExpiresAt = ms(in.AbsoluteExpiresAt)
			if tt.previous.Exists() {
				want.PreviousLogin.At = ms(tt.previous.At)
			}
			if got.ID == 0 || got.ID == 99 || got != want {
				t.Errorf("Create(persistent=%v) = %+v, want %+v with a new ID", persistent, got, want)
			}
			stored, err := sessions.ByTokenHash(ctx, in.TokenHash)
			if err != nil || stored != want {
				t.Errorf("ByTokenHash(persistent=%v) = %+v, %v, want %+v, nil", persistent, stored, err, want)
			}
			stored, owner, err := sessions.ByTokenHashWithUser(ctx, in.TokenHash)
			if err != nil || stored != want || owner != alice {
				t.Errorf("ByTokenHashWithUser(persistent=%v) = %+v, %+v, %v, want %+v, %+v, nil", persistent, stored, owner, err, want, alice)
			}
		}
	})
}

// TestSessionStoreByTokenHashWithUser reads a session with its account
// in one query, as every authenticated request does: expired sessions and
// disabled accounts come back for the caller to judge, and every call
// sees the rows as they are now, through whichever store on the database
// changed them, so a revocation on any instance counts at once.
func TestSessionStoreByTokenHashWithUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users := sqlstore.NewUserStore(db)
		alice, bob := createUser(t, users, "Alice"), createUser(t, users, "bob")
		sessions, elsewhere := sqlstore.NewSessionStore(db), sqlstore.NewSessionStore(db)
		live := createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
		expired := createSession(t, sessions, session(alice.ID, 2, t0.Add(-time.Hour)))
		bobs := createSession(t, sessions, session(bob.ID, 3, t0.Add(time.Hour)))

		check := func(what string, s domain.Session, wantUser domain.User) {
			t.Helper()
			for name, store := range map[string]*sqlstore.SessionStore{"a store": sessions, "another store": elsewhere} {
				got, owner, err := store.ByTokenHashWithUser(ctx, s.TokenHash)
				if err != nil || got != s || owner != wantUser {
					t.Errorf("%s: ByTokenHashWithUser(session %d) through %s = %+v, %+v, %v; want %+v, %+v", what, s.ID, name, got, owner, err, s, wantUser)
				}
			}
		}
		checkGone := func(what string, s domain.Session) {
			t.Helper()
			for name, store := range map[string]*sqlstore.SessionStore{"a store": sessions, "another store": elsewhere} {
				if _, _, err := store.ByTokenHashWithUser(ctx, s.TokenHash); !errors.Is(err, domain.ErrNotFound) {
					t.Errorf("%s: ByTokenHashWithUser(session %d) through %s error = %v, want %v", what, s.ID, name, err, domain.ErrNotFound)
				}
			}
		}

		check("live", live, alice)
		check("expired", expired, alice)
		check("another account's", bobs, bob)
		checkGone("unknown hash", domain.Session{TokenHash: hashOf(9)})

		version, err := users.SetPassword(ctx, alice.ID, "new hash", true)
		if err != nil {
			t.Fatal(err)
		}
		if err := users.SetDisabled(ctx, alice.ID, true); err != nil {
			t.Fatal(err)
		}
		changed := alice
		changed.PasswordHash, changed.MustChangePassword, changed.Disabled = "new hash", true, true
		changed.CredentialVersion = version
		check("after changes to the account", live, changed) // the session keeps its older version

		if err := sessions.Delete(ctx, live.ID); err != nil {
			t.Fatal(err)
		}
		checkGone("revoked", live)
		if err := users.Delete(ctx, bob.ID); err != nil {
			t.Fatal(err)
		}
		checkGone("account deleted", bobs)
	})
}

// TestSessionStoreByTokenHashWithUserConcurrently resolves sessions from
// many goroutines on a new store, as a busy server's first requests do:
// the statement the store prepares on first use must serve them all.
func TestSessionStoreByTokenHashWithUserConcurrently(t *testing.T) {
	forEachConcurrentStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		setup := sqlstore.NewSessionStore(db)
		var all []domain.Session
		for seed := range byte(8) {
			all = append(all, createSession(t, setup, session(alice.ID, seed+1, t0.Add(time.Hour))))
		}
		sessions := sqlstore.NewSessionStore(db)
		var wg sync.WaitGroup
		errs := make(chan error, 4*len(all))
		for range 4 {
			for _, s := range all {
				wg.Go(func() {
					got, owner, err := sessions.ByTokenHashWithUser(ctx, s.TokenHash)
					if err == nil && (got != s || owner != alice) {
						err = fmt.Errorf("got session %d of user %d, want session %d of user %d", got.ID, owner.ID, s.ID, alice.ID)
					}
					errs <- err
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("ByTokenHashWithUser() from many goroutines at once: %v", err)
			}
		}
	})
}

func TestSessionStoreByTokenHashUnknown(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		sessions := sqlstore.NewSessionStore(db)
		createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
		_, err := sessions.ByTokenHash(context.Background(), hashOf(2))
		if !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ByTokenHash(unknown) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

func TestSessionStoreCreateRejects(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		sessions := sqlstore.NewSessionStore(db)
		createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))

		if _, err := sessions.Create(ctx, session(alice.ID+1, 2, t0.Add(time.Hour))); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Create(session for unknown user %d) error = %v, want %v", alice.ID+1, err, domain.ErrNotFound)
		}
		_, err := sessions.Create(ctx, session(alice.ID, 1, t0.Add(time.Hour)))
		if err == nil || errors.Is(err, domain.ErrUsernameTaken) || errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Create(session with a stored token hash) error = %v, want a plain error", err)
		}
	})
}

// A login's session and the event that records it are stored together
// or not at all.
func TestSessionStoreCreateWithEvents(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		sessions, events := sqlstore.NewSessionStore(db), sqlstore.NewEventStore(db)
		login := domain.SecurityEvent{Kind: domain.EventLoginSuccess, UserID: alice.ID, IP: "192.0.2.7", UserAgent: "Mozilla/5.0", At: t0}

		s, err := sessions.Create(ctx, session(alice.ID, 1, t0.Add(time.Hour)), login)
		if err != nil {
			t.Fatalf("Create(session, login event) error = %v", err)
		}
		if got, err := sessions.ByTokenHash(ctx, hashOf(1)); err != nil || got.ID != s.ID {
			t.Errorf("ByTokenHash() = %d, %v; want the session just created, %d", got.ID, err, s.ID)
		}
		list, err := events.ListByUser(ctx, alice.ID, nil, 10)
		if err != nil || len(list) != 1 || list[0].Kind != domain.EventLoginSuccess || list[0].IP != "192.0.2.7" || !list[0].At.Equal(t0.Truncate(time.Millisecond)) {
			t.Fatalf("events after Create = %+v, %v; want the one login event", list, err)
		}

		// A session that cannot be stored (its token hash is taken) takes
		// its event down with it.
		if _, err := sessions.Create(ctx, session(alice.ID, 1, t0.Add(time.Hour)), login); err == nil {
			t.Fatal("Create(session with a stored token hash, event) error = nil, want an error")
		}
		// And an unknown account's too (a foreign key, checked at the insert).
		ghost := login
		ghost.UserID = alice.ID + 1
		if _, err := sessions.Create(ctx, session(alice.ID+1, 2, t0.Add(time.Hour)), ghost); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Create(session for unknown user, event) error = %v, want %v", err, domain.ErrNotFound)
		}
		if list, err := events.ListByUser(ctx, alice.ID, nil, 10); err != nil || len(list) != 1 {
			t.Errorf("alice's events after the failed Create = %d, %v; want still 1", len(list), err)
		}
		if list, err := events.ListByUser(ctx, alice.ID+1, nil, 10); err != nil || len(list) != 0 {
			t.Errorf("the unknown user's events = %d, %v; want none", len(list), err)
		}
	})
}

func TestSessionStoreTouch(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		sessions := sqlstore.NewSessionStore(db)
		s := createSession(t, sessions, session(alice.ID, 1, t0.Add(30*time.Minute)))
		other := createSession(t, sessions, session(alice.ID, 2, t0.Add(30*time.Minute)))

		seen, expires := t0.Add(10*time.Minute+time.Microsecond), t0.Add(40*time.Minute)
		if err := sessions.Touch(ctx, s.ID, seen, expires); err != nil {
			t.Fatalf("Touch(%d) error = %v", s.ID, err)
		}
		want := s
		want.LastSeenAt, want.ExpiresAt = ms(seen), ms(expires)
		if got, err := sessions.ByTokenHash(ctx, s.TokenHash); err != nil || got != want {
			t.Errorf("after Touch(%d), ByTokenHash = %+v, %v, want %+v", s.ID, got, err, want)
		}
		if got, err := sessions.ByTokenHash(ctx, other.TokenHash); err != nil || got != other {
			t.Errorf("after Touch(%d), session %d = %+v, %v, want it unchanged: %+v", s.ID, other.ID, got, err, other)
		}
		if err := sessions.Touch(ctx, 404, seen, expires); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("Touch(404) error = %v, want %v", err, domain.ErrNotFound)
		}
	})
}

func TestSessionStoreDelete(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		sessions := sqlstore.NewSessionStore(db)
		s := createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
		other := createSession(t, sessions, session(alice.ID, 2, t0.Add(time.Hour)))

		if err := sessions.Delete(ctx, s.ID); err != nil {
			t.Fatalf("Delete(%d) error = %v", s.ID, err)
		}
		if _, err := sessions.ByTokenHash(ctx, s.TokenHash); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("after Delete(%d), ByTokenHash error = %v, want %v", s.ID, err, domain.ErrNotFound)
		}
		if _, err := sessions.ByTokenHash(ctx, other.TokenHash); err != nil {
			t.Errorf("after Delete(%d), ByTokenHash(session %d) error = %v, want it kept", s.ID, other.ID, err)
		}
		if err := sessions.Delete(ctx, s.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("second Delete(%d) error = %v, want %v", s.ID, err, domain.ErrNotFound)
		}
	})
}

func TestSessionStoreDeleteExpired(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		bob := createUser(t, sqlstore.NewUserStore(db), "bob")
		sessions := sqlstore.NewSessionStore(db)
		now := t0.Add(time.Hour)
		expired := []domain.Session{
			createSession(t, sessions, session(alice.ID, 1, now.Add(-24*time.Hour))),
			createSession(t, sessions, session(bob.ID, 2, now.Add(-time.Millisecond))),
			createSession(t, sessions, session(alice.ID, 3, now)), // Active(now) is false
		}
		live := []domain.Session{
			createSession(t, sessions, session(alice.ID, 4, now.Add(time.Millisecond))),
			createSession(t, sessions, session(bob.ID, 5, now.Add(time.Hour))),
		}

		tests := []struct {
			now  time.Time
			want int64
		}{
			{now, int64(len(expired))},
			{now, 0},
		}
		for _, tt := range tests {
			if got, err := sessions.DeleteExpired(ctx, tt.now); err != nil || got != tt.want {
				t.Errorf("DeleteExpired(%v) = %d, %v, want %d, nil", tt.now, got, err, tt.want)
			}
		}
		for _, s := range expired {
			if _, err := sessions.ByTokenHash(ctx, s.TokenHash); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("session expiring at %v after DeleteExpired(%v): error = %v, want %v", s.ExpiresAt, now, err, domain.ErrNotFound)
			}
		}
		for _, s := range live {
			if _, err := sessions.ByTokenHash(ctx, s.TokenHash); err != nil {
				t.Errorf("session expiring at %v after DeleteExpired(%v): error = %v, want it kept", s.ExpiresAt, now, err)
			}
		}
	})
}

// TestSessionStoreCountActive counts, for the sessions gauge, the
// sessions whose deadline is after now, of every user.
func TestSessionStoreCountActive(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		alice := createUser(t, sqlstore.NewUserStore(db), "alice")
		bob := createUser(t, sqlstore.NewUserStore(db), "bob")
		sessions := sqlstore.NewSessionStore(db)
		now := t0.Add(time.Hour)
		createSession(t, sessions, session(alice.ID, 1, now.Add(-time.Minute)))
		createSession(t, sessions, session(alice.ID, 2, now)) // Active(now) is false
		createSession(t, sessions, session(alice.ID, 3, now.Add(time.Millisecond)))
		createSession(t, sessions, session(bob.ID, 4, now.Add(time.Hour)))
		if got, err := sessions.CountActive(ctx, now); err != nil || got != 2 {
			t.Errorf("CountActive(%v) = %d, %v, want 2, nil", now, got, err)
		}
	})
}

func TestDeletingUserDeletesSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users := sqlstore.NewUserStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		sessions := sqlstore.NewSessionStore(db)
		a1 := createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
		a2 := createSession(t, sessions, session(alice.ID, 2, t0.Add(time.Hour)))
		b1 := createSession(t, sessions, session(bob.ID, 3, t0.Add(time.Hour)))

		if _, err := db.ExecContext(ctx, "DELETE FROM users WHERE id = ?", int64(alice.ID)); err != nil {
			t.Fatalf("delete user %d: %v", alice.ID, err)
		}
		for _, s := range []domain.Session{a1, a2} {
			if _, err := sessions.ByTokenHash(ctx, s.TokenHash); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("session %d of deleted user %d: error = %v, want %v (ON DELETE CASCADE)", s.ID, alice.ID, err, domain.ErrNotFound)
			}
		}
		if _, err := sessions.ByTokenHash(ctx, b1.TokenHash); err != nil {
			t.Errorf("session %d of user %d after deleting user %d: error = %v, want it kept", b1.ID, bob.ID, alice.ID, err)
		}
	})
}

func TestSessionStoreListByUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users := sqlstore.NewUserStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		sessions := sqlstore.NewSessionStore(db)
		now := t0.Add(time.Hour)
		started := func(s domain.Session, at time.Time) domain.Session {
			s.CreatedAt, s.LastSeenAt = at, at
			return s
		}
		older := createSession(t, sessions, started(session(alice.ID, 1, now.Add(time.Hour)), t0))
		newest := createSession(t, sessions, started(session(alice.ID, 2, now.Add(time.Millisecond)), t0.Add(2*time.Minute)))
		tieFirst := createSession(t, sessions, started(session(alice.ID, 3, now.Add(time.Hour)), t0.Add(time.Minute)))
		tieSecond := createSession(t, sessions, started(session(alice.ID, 4, now.Add(time.Hour)), t0.Add(time.Minute)))
		createSession(t, sessions, started(session(alice.ID, 5, now), t0.Add(3*time.Minute)))                      // ends at now
		createSession(t, sessions, started(session(alice.ID, 6, now.Add(-time.Hour)), t0.Add(4*time.Minute)))      // expired
		bobs := createSession(t, sessions, started(session(bob.ID, 7, now.Add(time.Hour)), t0.Add(5*time.Minute))) // not alice's

		tests := []struct {
			user domain.UserID
			now  time.Time
			want []domain.Session
		}{
			// Newest created first; of two created at once, the later stored.
			{alice.ID, now, []domain.Session{newest, tieSecond, tieFirst, older}},
			{alice.ID, now.Add(time.Millisecond), []domain.Session{tieSecond, tieFirst, older}},
			{alice.ID, now.Add(2 * time.Hour), nil},
			{bob.ID, now, []domain.Session{bobs}},
			{404, now, nil},
		}
		for _, tt := range tests {
			got, err := sessions.ListByUser(ctx, tt.user, tt.now)
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ListByUser(%d, %v) = %+v, %v, want %+v", tt.user, tt.now, got, err, tt.want)
			}
		}
	})
}

func TestSessionStoreDeleteByUser(t *testing.T) {
	forEachStore(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := b.newDB(t)
		users := sqlstore.NewUserStore(db)
		alice, bob := createUser(t, users, "alice"), createUser(t, users, "bob")
		sessions := sqlstore.NewSessionStore(db)
		a1 := createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
		a2 := createSession(t, sessions, session(alice.ID, 2, t0.Add(time.Hour)))
		a3 := createSession(t, sessions, session(alice.ID, 3, t0.Add(-time.Hour))) // expired: goes too
		b1 := createSession(t, sessions, session(bob.ID, 4, t0.Add(time.Hour)))

		tests := []struct {
			user   domain.UserID
			except domain.SessionID
			want   int64
			kept   []domain.Session
			gone   []domain.Session
		}{
			{alice.ID, a2.ID, 2, []domain.Session{a2, b1}, []domain.Session{a1, a3}},
			{alice.ID, a2.ID, 0, []domain.Session{a2, b1}, nil},
			{alice.ID, b1.ID, 1, []domain.Session{b1}, []domain.Session{a2}}, // another user's ID spares nothing
			{bob.ID, 0, 1, nil, []domain.Session{b1}},
			{404, 0, 0, nil, nil},
		}
		for _, tt := range tests {
			if got, err := sessions.DeleteByUser(ctx, tt.user, tt.except); err != nil || got != tt.want {
				t.Errorf("DeleteByUser(%d, except %d) = %d, %v, want %d, nil", tt.user, tt.except, got, err, tt.want)
			}
			for _, s := range tt.kept {
				if got, err := sessions.ByTokenHash(ctx, s.TokenHash); err != nil || got != s {
					t.Errorf("after DeleteByUser(%d, except %d), session %d = %+v, %v, want it kept", tt.user, tt.except, s.ID, got, err)
				}
			}
			for _, s := range tt.gone {
				if _, err := sessions.ByTokenHash(ctx, s.TokenHash); !errors.Is(err, domain.ErrNotFound) {
					t.Errorf("after DeleteByUser(%d, except %d), session %d: error = %v, want %v", tt.user, tt.except, s.ID, err, domain.ErrNotFound)
				}
			}
		}
	})
}
