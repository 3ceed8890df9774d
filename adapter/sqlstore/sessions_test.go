package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
)

// session returns an unstored session for user that expires at expires.
func session(user domain.UserID, seed byte, expires time.Time) domain.Session {
	return domain.Session{
		TokenHash:         hashOf(seed),
		UserID:            user,
		CreatedAt:         t0,
		LastSeenAt:        t0,
		ExpiresAt:         expires,
		AbsoluteExpiresAt: expires.Add(time.Hour),
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
	ctx := context.Background()
	db := newDB(t)
	alice := createUser(t, sqlstore.NewUserStore(db), "alice")
	sessions := sqlstore.NewSessionStore(db)
	tests := []struct {
		persistent bool
		seed       byte
	}{
		{false, 1},
		{true, 2},
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
		if got.ID == 0 || got.ID == 99 || got != want {
			t.Errorf("Create(persistent=%v) = %+v, want %+v with a new ID", persistent, got, want)
		}
		stored, err := sessions.ByTokenHash(ctx, in.TokenHash)
		if err != nil || stored != want {
			t.Errorf("ByTokenHash(persistent=%v) = %+v, %v, want %+v, nil", persistent, stored, err, want)
		}
	}
}

func TestSessionStoreByTokenHashUnknown(t *testing.T) {
	db := newDB(t)
	alice := createUser(t, sqlstore.NewUserStore(db), "alice")
	sessions := sqlstore.NewSessionStore(db)
	createSession(t, sessions, session(alice.ID, 1, t0.Add(time.Hour)))
	_, err := sessions.ByTokenHash(context.Background(), hashOf(2))
	if !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("ByTokenHash(unknown) error = %v, want %v", err, domain.ErrNotFound)
	}
}

func TestSessionStoreCreateRejects(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
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
}

func TestSessionStoreTouch(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
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
}

func TestSessionStoreDelete(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
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
}

func TestSessionStoreDeleteExpired(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
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
}

func TestDeletingUserDeletesSessions(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
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
}
