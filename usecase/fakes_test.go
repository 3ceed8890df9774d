package usecase_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// fakeClock returns a settable time.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fakeHasher "hashes" reversibly and counts calls, so tests can see that
// unknown users cost a verification too.
type fakeHasher struct {
	mu       sync.Mutex
	version  string
	hashes   int
	verifies int
	fail     error
	// saturated is what Saturated reports.
	saturated bool
}

func (h *fakeHasher) Saturated() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.saturated
}

func (h *fakeHasher) Hash(_ context.Context, p domain.Password) (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hashes++
	if h.fail != nil {
		return "", h.fail
	}
	return h.version + ":" + p.Reveal(), nil
}

func (h *fakeHasher) Verify(_ context.Context, p domain.Password, encoded string) (bool, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.verifies++
	if h.fail != nil {
		return false, false, h.fail
	}
	version, secret, ok := strings.Cut(encoded, ":")
	if !ok {
		return false, false, errors.New("fake: malformed hash")
	}
	match := secret == p.Reveal()
	return match, match && version != h.version, nil
}

// fakeUsers is an in-memory user store with canonical-name uniqueness.
type fakeUsers struct {
	mu     sync.Mutex
	byID   map[domain.UserID]domain.User
	nextID domain.UserID
	err    error // returned by every call when set
}

func newFakeUsers() *fakeUsers { return &fakeUsers{byID: map[domain.UserID]domain.User{}} }

func (s *fakeUsers) Create(_ context.Context, u domain.User) (domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return domain.User{}, s.err
	}
	for _, other := range s.byID {
		if other.Username.Canonical() == u.Username.Canonical() {
			return domain.User{}, fmt.Errorf("fake: %w", domain.ErrUsernameTaken)
		}
	}
	s.nextID++
	u.ID = s.nextID
	s.byID[u.ID] = u
	return u, nil
}

func (s *fakeUsers) ByUsername(_ context.Context, name domain.Username) (domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return domain.User{}, s.err
	}
	for _, u := range s.byID {
		if u.Username.Canonical() == name.Canonical() {
			return u, nil
		}
	}
	return domain.User{}, domain.ErrNotFound
}

func (s *fakeUsers) ByID(_ context.Context, id domain.UserID) (domain.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return domain.User{}, s.err
	}
	u, ok := s.byID[id]
	if !ok {
		return domain.User{}, domain.ErrNotFound
	}
	return u, nil
}

func (s *fakeUsers) UpdatePasswordHash(_ context.Context, id domain.UserID, hash string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return domain.ErrNotFound
	}
	u.PasswordHash = hash
	s.byID[id] = u
	return nil
}

// fakeSessions is an in-memory session store that counts touches. It
// joins its sessions to the accounts in users, as the database does.
type fakeSessions struct {
	mu       sync.Mutex
	users    *fakeUsers
	events   *fakeEvents          // where Create stores the events given with a session
	created  [][]domain.EventKind // the kinds of the events given to each Create
	rows     map[domain.SessionID]domain.Session
	nextID   domain.SessionID
	touches  int
	err      error
	touchErr error // returned by Touch when set
}

func newFakeSessions(users *fakeUsers) *fakeSessions {
	return &fakeSessions{users: users, rows: map[domain.SessionID]domain.Session{}}
}

func (s *fakeSessions) Create(ctx context.Context, sess domain.Session, events ...domain.SecurityEvent) (domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return domain.Session{}, s.err
	}
	if len(events) > 0 && s.events == nil {
		return domain.Session{}, errors.New("fakeSessions: events given, but no event log to keep them")
	}
	var kinds []domain.EventKind
	for _, e := range events {
		if err := s.events.Record(ctx, e); err != nil {
			return domain.Session{}, err
		}
		kinds = append(kinds, e.Kind)
	}
	s.created = append(s.created, kinds)
	s.nextID++
	sess.ID = s.nextID
	s.rows[sess.ID] = sess
	return sess, nil
}

func (s *fakeSessions) ByTokenHash(_ context.Context, h domain.TokenHash) (domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return domain.Session{}, s.err
	}
	for _, sess := range s.rows {
		if sess.TokenHash == h {
			return sess, nil
		}
	}
	return domain.Session{}, domain.ErrNotFound
}

func (s *fakeSessions) ByTokenHashWithUser(ctx context.Context, h domain.TokenHash) (domain.Session, domain.User, error) {
	sess, err := s.ByTokenHash(ctx, h)
	if err != nil {
		return domain.Session{}, domain.User{}, err
	}
	u, err := s.users.ByID(ctx, sess.UserID)
	if err != nil {
		return domain.Session{}, domain.User{}, err
	}
	return sess, u, nil
}

func (s *fakeSessions) Touch(_ context.Context, id domain.SessionID, lastSeen, expires time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.touchErr != nil {
		return s.touchErr
	}
	sess, ok := s.rows[id]
	if !ok {
		return domain.ErrNotFound
	}
	s.touches++
	sess.LastSeenAt, sess.ExpiresAt = lastSeen, expires
	s.rows[id] = sess
	return nil
}

func (s *fakeSessions) Delete(_ context.Context, id domain.SessionID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.rows[id]; !ok {
		return domain.ErrNotFound
	}
	delete(s.rows, id)
	return nil
}

func (s *fakeSessions) DeleteExpired(_ context.Context, now time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for id, sess := range s.rows {
		if !sess.Active(now) {
			delete(s.rows, id)
			n++
		}
	}
	return n, nil
}

func (s *fakeSessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rows)
}

// seqTokens hands out distinct tokens.
type seqTokens struct {
	mu sync.Mutex
	n  byte
}

func (t *seqTokens) NewToken() (domain.Token, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	var b [domain.TokenBytes]byte
	b[0] = t.n
	return domain.NewToken(b), nil
}

// fakeBlocklist blocks the passwords it holds.
type fakeBlocklist map[string]bool

func (b fakeBlocklist) Contains(p domain.Password) bool { return b[p.Reveal()] }

// fakeThrottleStore keeps throttling state in maps.
type fakeThrottleStore struct {
	mu       sync.Mutex
	failures map[[2]string]failureRow
	events   []throttleEvent
	err      error
}

type failureRow struct {
	n    int
	last time.Time
}

type throttleEvent struct {
	kind, network string
	at            time.Time
}

func newFakeThrottleStore() *fakeThrottleStore {
	return &fakeThrottleStore{failures: map[[2]string]failureRow{}}
}

func (s *fakeThrottleStore) Failures(_ context.Context, account, network string, since time.Time) (int, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, time.Time{}, s.err
	}
	r := s.failures[[2]string{account, network}]
	if r.last.Before(since) {
		return 0, time.Time{}, nil
	}
	return r.n, r.last, nil
}

func (s *fakeThrottleStore) RecordFailure(_ context.Context, account, network string, at, since time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if account != "" {
		k := [2]string{account, network}
		r := s.failures[k]
		if r.last.Before(since) {
			r.n = 0
		}
		s.failures[k] = failureRow{n: r.n + 1, last: at}
	}
	s.events = append(s.events, throttleEvent{"login_failure", network, at})
	return nil
}

func (s *fakeThrottleStore) ResetFailures(_ context.Context, account, network string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.failures, [2]string{account, network})
	return s.err
}

func (s *fakeThrottleStore) CountEvents(_ context.Context, kind, network string, since time.Time) (int, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, time.Time{}, s.err
	}
	n, earliest := 0, time.Time{}
	for _, e := range s.events {
		if e.kind == kind && e.network == network && !e.at.Before(since) {
			if n == 0 || e.at.Before(earliest) {
				earliest = e.at
			}
			n++
		}
	}
	return n, earliest, nil
}

func (s *fakeThrottleStore) AddEvent(_ context.Context, kind, network string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	s.events = append(s.events, throttleEvent{kind, network, at})
	return nil
}

func (s *fakeThrottleStore) Purge(_ context.Context, eventsBefore, failuresBefore time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	kept := s.events[:0]
	for _, e := range s.events {
		if e.at.Before(eventsBefore) {
			n++
			continue
		}
		kept = append(kept, e)
	}
	s.events = kept
	for k, r := range s.failures {
		if r.last.Before(failuresBefore) {
			delete(s.failures, k)
			n++
		}
	}
	return n, nil
}

func (s *fakeThrottleStore) ClearAccount(_ context.Context, account string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for k := range s.failures {
		if k[0] == account {
			delete(s.failures, k)
			n++
		}
	}
	return n, s.err
}

func (s *fakeSessions) ListByUser(_ context.Context, user domain.UserID, now time.Time) ([]domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.Session
	for _, sess := range s.rows {
		if sess.UserID == user && sess.Active(now) {
			out = append(out, sess)
		}
	}
	slices.SortFunc(out, func(a, b domain.Session) int { return int(b.ID - a.ID) })
	return out, s.err
}

func (s *fakeSessions) DeleteByUser(_ context.Context, user domain.UserID, except domain.SessionID) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for id, sess := range s.rows {
		if sess.UserID == user && id != except {
			delete(s.rows, id)
			n++
		}
	}
	return n, s.err
}

// fakeEvents keeps security events in order and counts the reads.
type fakeEvents struct {
	mu      sync.Mutex
	events  []domain.SecurityEvent
	reads   int
	readErr error // returned by ListByUser when set
}

func (e *fakeEvents) Record(_ context.Context, ev domain.SecurityEvent) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev.ID = int64(len(e.events) + 1)
	e.events = append(e.events, ev)
	return nil
}

func (e *fakeEvents) ListByUser(_ context.Context, user domain.UserID, kinds []domain.EventKind, limit int) ([]domain.SecurityEvent, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reads++
	if e.readErr != nil {
		return nil, e.readErr
	}
	var out []domain.SecurityEvent
	for i := len(e.events) - 1; i >= 0 && len(out) < limit; i-- {
		ev := e.events[i]
		if ev.UserID == user && (len(kinds) == 0 || slices.Contains(kinds, ev.Kind)) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// kinds lists the kinds of the events recorded, oldest first.
func (e *fakeEvents) kinds() []domain.EventKind {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []domain.EventKind
	for _, ev := range e.events {
		out = append(out, ev.Kind)
	}
	return out
}

func (s *fakeUsers) SetPassword(_ context.Context, id domain.UserID, hash string, mustChange bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return domain.ErrNotFound
	}
	u.PasswordHash, u.MustChangePassword = hash, mustChange
	s.byID[id] = u
	return nil
}

// lastAdmin reports whether id is the only enabled admin; s.mu is held.
func (s *fakeUsers) lastAdmin(id domain.UserID) bool {
	if !s.byID[id].IsAdmin() {
		return false
	}
	for other, u := range s.byID {
		if other != id && u.IsAdmin() {
			return false
		}
	}
	return true
}

func (s *fakeUsers) Delete(_ context.Context, id domain.UserID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[id]; !ok {
		return domain.ErrNotFound
	}
	if s.lastAdmin(id) {
		return domain.ErrLastAdmin
	}
	delete(s.byID, id)
	return nil
}

func (s *fakeUsers) SetDisabled(_ context.Context, id domain.UserID, disabled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return domain.ErrNotFound
	}
	if disabled && s.lastAdmin(id) {
		return domain.ErrLastAdmin
	}
	u.Disabled = disabled
	s.byID[id] = u
	return nil
}

func (s *fakeUsers) SetRole(_ context.Context, id domain.UserID, role domain.Role) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.byID[id]
	if !ok {
		return domain.ErrNotFound
	}
	if role != domain.RoleAdmin && s.lastAdmin(id) {
		return domain.ErrLastAdmin
	}
	u.Role = role
	s.byID[id] = u
	return nil
}

func (s *fakeUsers) List(_ context.Context, q usecase.UserQuery) (usecase.UserPage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []usecase.UserSummary
	for _, u := range s.byID {
		if strings.Contains(u.Username.Canonical(), strings.ToLower(q.Search)) {
			all = append(all, usecase.UserSummary{User: u})
		}
	}
	slices.SortFunc(all, func(a, b usecase.UserSummary) int {
		return strings.Compare(a.User.Username.Canonical(), b.User.Username.Canonical())
	})
	page := usecase.UserPage{Total: len(all)}
	if q.Offset < len(all) {
		page.Users = all[q.Offset:min(len(all), q.Offset+q.Limit)]
	}
	return page, nil
}
