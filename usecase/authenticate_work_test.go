package usecase_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// A failed login must cost the same whether or not the name it gave
// belongs to an account: the same hashing (TestLogin counts it) and the
// same database work, call for call. An extra write for one of the two,
// an fsynced commit, is a timing oracle that tells which names exist.

// callLog records, in order, the store calls a use case makes, as
// "Port.Method".
type callLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *callLog) add(call string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, call)
}

// take returns the calls logged since the last take.
func (l *callLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	calls := l.calls
	l.calls = nil
	return calls
}

// The logged stores wrap a port, log every call and pass it on. They name
// their port in a field rather than embed it, so that a method the port
// gains later cannot slip past the log: the assertions below stop
// compiling until it is logged too.
var (
	_ usecase.CredentialStore = loggedCredentials{}
	_ usecase.ThrottleStore   = loggedThrottles{}
	_ usecase.EventLog        = loggedEvents{}
	_ usecase.SessionStore    = loggedSessions{}
)

type loggedCredentials struct {
	store usecase.CredentialStore
	log   *callLog
}

func (s loggedCredentials) ByUsername(ctx context.Context, name domain.Username) (domain.User, error) {
	s.log.add("CredentialStore.ByUsername")
	return s.store.ByUsername(ctx, name)
}

func (s loggedCredentials) UpdatePasswordHash(ctx context.Context, id domain.UserID, old, hash string) (bool, error) {
	s.log.add("CredentialStore.UpdatePasswordHash")
	return s.store.UpdatePasswordHash(ctx, id, old, hash)
}

type loggedThrottles struct {
	store usecase.ThrottleStore
	log   *callLog
}

func (s loggedThrottles) Reserve(ctx context.Context, r usecase.ThrottleReservation) (usecase.ThrottleTicket, time.Time, error) {
	s.log.add("ThrottleStore.Reserve")
	return s.store.Reserve(ctx, r)
}

func (s loggedThrottles) Release(ctx context.Context, t usecase.ThrottleTicket) error {
	s.log.add("ThrottleStore.Release")
	return s.store.Release(ctx, t)
}

func (s loggedThrottles) ClearAccount(ctx context.Context, username string) (int64, error) {
	s.log.add("ThrottleStore.ClearAccount")
	return s.store.ClearAccount(ctx, username)
}

func (s loggedThrottles) Purge(ctx context.Context, eventsBefore, failuresBefore time.Time) (int64, error) {
	s.log.add("ThrottleStore.Purge")
	return s.store.Purge(ctx, eventsBefore, failuresBefore)
}

type loggedEvents struct {
	store usecase.EventLog
	log   *callLog
}

func (s loggedEvents) Record(ctx context.Context, e domain.SecurityEvent) error {
	s.log.add("EventLog.Record")
	return s.store.Record(ctx, e)
}

func (s loggedEvents) ListByUser(ctx context.Context, user domain.UserID, kinds []domain.EventKind, limit int) ([]domain.SecurityEvent, error) {
	s.log.add("EventLog.ListByUser")
	return s.store.ListByUser(ctx, user, kinds, limit)
}

type loggedSessions struct {
	store usecase.SessionStore
	log   *callLog
}

func (s loggedSessions) Create(ctx context.Context, sess domain.Session, events ...domain.SecurityEvent) (domain.Session, error) {
	s.log.add("SessionStore.Create")
	return s.store.Create(ctx, sess, events...)
}

func (s loggedSessions) ByTokenHash(ctx context.Context, h domain.TokenHash) (domain.Session, error) {
	s.log.add("SessionStore.ByTokenHash")
	return s.store.ByTokenHash(ctx, h)
}

func (s loggedSessions) ByTokenHashWithUser(ctx context.Context, h domain.TokenHash) (domain.Session, domain.User, error) {
	s.log.add("SessionStore.ByTokenHashWithUser")
	return s.store.ByTokenHashWithUser(ctx, h)
}

func (s loggedSessions) Touch(ctx context.Context, id domain.SessionID, lastSeen, expires time.Time) error {
	s.log.add("SessionStore.Touch")
	return s.store.Touch(ctx, id, lastSeen, expires)
}

func (s loggedSessions) Delete(ctx context.Context, id domain.SessionID) error {
	s.log.add("SessionStore.Delete")
	return s.store.Delete(ctx, id)
}

func (s loggedSessions) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	s.log.add("SessionStore.DeleteExpired")
	return s.store.DeleteExpired(ctx, now)
}

func (s loggedSessions) ListByUser(ctx context.Context, user domain.UserID, now time.Time) ([]domain.Session, error) {
	s.log.add("SessionStore.ListByUser")
	return s.store.ListByUser(ctx, user, now)
}

func (s loggedSessions) DeleteByUser(ctx context.Context, user domain.UserID, except domain.SessionID) (int64, error) {
	s.log.add("SessionStore.DeleteByUser")
	return s.store.DeleteByUser(ctx, user, except)
}

// loggedAuthenticator returns an Authenticator on f's stores whose every
// store call goes to log.
func loggedAuthenticator(t *testing.T, f *authFixture, log *callLog) *usecase.Authenticator {
	t.Helper()
	manager := usecase.NewSessionManager(loggedSessions{f.sessions, log}, &seqTokens{}, f.clock, testPolicy, discard)
	throttle := usecase.NewThrottle(loggedThrottles{f.throttles, log}, f.clock, testThrottlePolicy)
	auth, err := usecase.NewAuthenticator(loggedCredentials{f.users, log}, f.hasher, manager, throttle, testDevices, usecase.NewLoginChallenges(f.totp, f.challenges, &seqTokens{n: 150}, f.clock), loggedEvents{f.events, log}, &seqTokens{n: 200}, f.clock, discard)
	if err != nil {
		t.Fatalf("NewAuthenticator() error = %v", err)
	}
	log.take() // whatever construction did is not a login's work
	return auth
}

// TestFailedLoginDoesTheSameStoreWorkWhetherOrNotTheAccountExists fails
// MaxFailures logins with a wrong password and then one more, which the
// throttle refuses, once for alice (an account) and once for mallory (no
// account), each on a database of its own in the same state. Every
// attempt must make the same store calls, in the same order, for both.
func TestFailedLoginDoesTheSameStoreWorkWhetherOrNotTheAccountExists(t *testing.T) {
	attempts := testThrottlePolicy.MaxFailures + 1
	work := func(name string) [][]string {
		f := newAuthFixture(t)
		log := &callLog{}
		auth := loggedAuthenticator(t, f, log)
		var perAttempt [][]string
		for i := range attempts {
			_, err := auth.Login(context.Background(), usecase.LoginInput{Username: name, Password: "wrong password!", Client: home})
			switch {
			case i < testThrottlePolicy.MaxFailures && !errors.Is(err, domain.ErrInvalidCredentials):
				t.Fatalf("Login(%q) attempt %d error = %v, want %v", name, i+1, err, domain.ErrInvalidCredentials)
			case i == testThrottlePolicy.MaxFailures && retryAfter(err) == 0:
				t.Fatalf("Login(%q) attempt %d error = %v, want throttled", name, i+1, err)
			}
			perAttempt = append(perAttempt, log.take())
		}
		return perAttempt
	}
	account, noAccount := work("alice"), work("mallory")
	for i := range attempts {
		kind := "wrong password"
		if i == testThrottlePolicy.MaxFailures {
			kind = "throttled"
		}
		if !slices.Equal(account[i], noAccount[i]) {
			t.Errorf("failed login %d (%s): store calls differ by whether the account exists:\n  alice (exists):    %s\n  mallory (no such): %s",
				i+1, kind, strings.Join(account[i], ", "), strings.Join(noAccount[i], ", "))
		}
	}
	if t.Failed() {
		return
	}
	// The same calls, and they include the writes that record a failure:
	// the equality above is not that of two empty lists.
	for i, calls := range account {
		if !slices.Contains(calls, "EventLog.Record") {
			t.Errorf("failed login %d made calls %v, want the failure recorded (EventLog.Record)", i+1, calls)
		}
	}
}

// TestLoginFailureForAnUnknownNameBelongsToNoAccount: the failure that a
// name matching no account records (for the equal work above) is an event
// about no account, without the name, which may be a password typed into
// the wrong field; an account created later with that name does not see
// it in its history. A real account's failures stay in its history.
func TestLoginFailureForAnUnknownNameBelongsToNoAccount(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	const typed = "Tr0ub4dor-3"
	for _, name := range []string{typed, "alice"} {
		if _, err := f.auth.Login(ctx, usecase.LoginInput{Username: name, Password: "wrong password!", Client: home}); !errors.Is(err, domain.ErrInvalidCredentials) {
			t.Fatalf("Login(%q, wrong) error = %v, want %v", name, err, domain.ErrInvalidCredentials)
		}
	}
	if got := f.events.kinds(t, f.user.ID); !slices.Equal(got, []domain.EventKind{domain.EventLoginFailure}) {
		t.Errorf("alice's history after a wrong password = %v, want one %s", got, domain.EventLoginFailure)
	}
	orphans := f.events.history(t, 0)
	if len(orphans) != 1 || orphans[0].Kind != domain.EventLoginFailure || orphans[0].Detail != domain.FailureBadPassword || orphans[0].IP != "192.0.2.10" {
		t.Fatalf("events about no account = %+v, want one %s (%s) from 192.0.2.10", orphans, domain.EventLoginFailure, domain.FailureBadPassword)
	}
	if e := fmt.Sprintf("%+v", orphans[0]); strings.Contains(strings.ToLower(e), strings.ToLower(typed)) {
		t.Errorf("the event about no account %s holds the name typed, %q", e, typed)
	}
	later, err := f.users.Create(ctx, domain.User{Username: domain.RestoreUsername(typed), PasswordHash: "v1:x", Role: domain.RoleUser})
	if err != nil {
		t.Fatalf("Create(%q) error = %v", typed, err)
	}
	if got := f.events.kinds(t, later.ID); len(got) != 0 {
		t.Errorf("history of %q, created after the failed login, = %v, want empty", typed, got)
	}
}
