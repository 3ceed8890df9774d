package usecase_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/usecase"
)

// The use cases run on the real stores, on an in-memory SQLite database of
// their own, so the store rules they rely on (canonical names, the
// last-admin guard, a session and its events in one transaction) are the
// ones test/contract holds every database to, not a copy. Each store is
// wrapped in a decorator that can fail on demand or count calls; with
// nothing set it passes every call through.

// stores are the wrapped stores on one database.
type stores struct {
	users        *userStore
	sessions     *sessionStore
	throttles    *throttleStore
	events       *eventStore
	emails       *sqlstore.EmailStore
	outbox       *sqlstore.OutboxStore
	totp         *sqlstore.TOTPStore
	challenges   *sqlstore.ChallengeStore
	passkeys     *sqlstore.PasskeyStore
	pkChallenges *sqlstore.PasskeyChallengeStore
	recovery     *sqlstore.RecoveryCodeStore
	identities   *sqlstore.IdentityStore
	flows        *sqlstore.SocialFlowStore
}

// newStores returns the stores on a new, migrated in-memory database
// private to t, opened and migrated as test/contract and main do:
// database.Open gives each "sqlite::memory:" a name of its own
// (file:gatehouse-<random>?mode=memory&cache=shared).
func newStores(t *testing.T) stores {
	t.Helper()
	db, err := database.Open("sqlite::memory:")
	if err != nil {
		t.Fatalf("database.Open(sqlite::memory:) error = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := sqlstore.Migrate(context.Background(), db); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	return stores{
		users:        &userStore{UserStore: sqlstore.NewUserStore(db)},
		sessions:     &sessionStore{SessionStore: sqlstore.NewSessionStore(db)},
		throttles:    &throttleStore{ThrottleStore: sqlstore.NewThrottleStore(db)},
		events:       &eventStore{EventStore: sqlstore.NewEventStore(db)},
		emails:       sqlstore.NewEmailStore(db),
		outbox:       sqlstore.NewOutboxStore(db),
		totp:         sqlstore.NewTOTPStore(db),
		challenges:   sqlstore.NewChallengeStore(db),
		passkeys:     sqlstore.NewPasskeyStore(db),
		pkChallenges: sqlstore.NewPasskeyChallengeStore(db),
		recovery:     sqlstore.NewRecoveryCodeStore(db),
		identities:   sqlstore.NewIdentityStore(db),
		flows:        sqlstore.NewSocialFlowStore(db),
	}
}

// userStore fails Create and ByUsername with err, and SetDisplayName
// with setErr, while they are set.
type userStore struct {
	*sqlstore.UserStore
	err    error
	setErr error
}

func (s *userStore) SetDisplayName(ctx context.Context, id domain.UserID, name domain.DisplayName) error {
	if s.setErr != nil {
		return s.setErr
	}
	return s.UserStore.SetDisplayName(ctx, id, name)
}

func (s *userStore) Create(ctx context.Context, u domain.User) (domain.User, error) {
	if s.err != nil {
		return domain.User{}, s.err
	}
	return s.UserStore.Create(ctx, u)
}

func (s *userStore) ByUsername(ctx context.Context, name domain.Username) (domain.User, error) {
	if s.err != nil {
		return domain.User{}, s.err
	}
	return s.UserStore.ByUsername(ctx, name)
}

// sessionStore fails Create and ByTokenHashWithUser with err and Touch with
// touchErr while they are set. It keeps the kinds of the events given to
// each Create, and counts the touches the store made.
type sessionStore struct {
	*sqlstore.SessionStore
	err      error
	touchErr error
	created  [][]domain.EventKind
	touches  int
}

func (s *sessionStore) Create(ctx context.Context, sess domain.Session, events ...domain.SecurityEvent) (domain.Session, error) {
	if s.err != nil {
		return domain.Session{}, s.err
	}
	var kinds []domain.EventKind
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	s.created = append(s.created, kinds)
	return s.SessionStore.Create(ctx, sess, events...)
}

func (s *sessionStore) ByTokenHashWithUser(ctx context.Context, h domain.TokenHash) (domain.Session, domain.User, error) {
	if s.err != nil {
		return domain.Session{}, domain.User{}, s.err
	}
	return s.SessionStore.ByTokenHashWithUser(ctx, h)
}

func (s *sessionStore) Touch(ctx context.Context, id domain.SessionID, lastSeen, expires time.Time) error {
	if s.touchErr != nil {
		return s.touchErr
	}
	err := s.SessionStore.Touch(ctx, id, lastSeen, expires)
	if err == nil {
		s.touches++
	}
	return err
}

// count returns how many sessions the store holds, expired or not: every
// session is active at the zero time.
func (s *sessionStore) count(t *testing.T) int {
	t.Helper()
	n, err := s.CountActive(context.Background(), time.Time{})
	if err != nil {
		t.Fatalf("CountActive() error = %v", err)
	}
	return n
}

// throttleStore fails Reserve with err while it is set.
type throttleStore struct {
	*sqlstore.ThrottleStore
	err error
}

func (s *throttleStore) Reserve(ctx context.Context, r usecase.ThrottleReservation) (usecase.ThrottleTicket, time.Time, error) {
	if s.err != nil {
		return usecase.ThrottleTicket{}, time.Time{}, s.err
	}
	return s.ThrottleStore.Reserve(ctx, r)
}

// eventStore fails ListByUser with readErr while it is set, and counts
// the reads.
type eventStore struct {
	*sqlstore.EventStore
	readErr error
	reads   int
}

func (s *eventStore) ListByUser(ctx context.Context, user domain.UserID, kinds []domain.EventKind, limit int) ([]domain.SecurityEvent, error) {
	s.reads++
	if s.readErr != nil {
		return nil, s.readErr
	}
	return s.EventStore.ListByUser(ctx, user, kinds, limit)
}

// history returns the events stored about user, oldest first, read
// past the decorator so that reading counts no read.
func (s *eventStore) history(t *testing.T, user domain.UserID) []domain.SecurityEvent {
	t.Helper()
	list, err := s.EventStore.ListByUser(context.Background(), user, nil, 1000)
	if err != nil {
		t.Fatalf("ListByUser(%d) error = %v", user, err)
	}
	slices.Reverse(list)
	return list
}

// kinds returns the kinds of the events stored about user, oldest first.
func (s *eventStore) kinds(t *testing.T, user domain.UserID) []domain.EventKind {
	t.Helper()
	var out []domain.EventKind
	for _, e := range s.history(t, user) {
		out = append(out, e.Kind)
	}
	return out
}
