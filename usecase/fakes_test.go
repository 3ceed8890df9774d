package usecase_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// The fakes here stand in for what is not a store: the clock, the
// hasher, the token source and the blocklist. The stores are the real
// ones (stores_test.go).

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
	// delay is how long each Hash and Verify takes, outside the lock, so
	// that concurrent calls overlap as argon2id's do.
	delay time.Duration
	// keys lists the hashing key of each call (Saturated, Hash, Verify).
	keys []string
}

func (h *fakeHasher) Saturated(ctx context.Context) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys = append(h.keys, usecase.HashingKeyOf(ctx))
	return h.saturated
}

func (h *fakeHasher) Hash(ctx context.Context, p domain.Password) (string, error) {
	time.Sleep(h.delay)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys = append(h.keys, usecase.HashingKeyOf(ctx))
	h.hashes++
	if h.fail != nil {
		return "", h.fail
	}
	return h.version + ":" + p.Reveal(), nil
}

func (h *fakeHasher) Verify(ctx context.Context, p domain.Password, encoded string) (bool, bool, error) {
	time.Sleep(h.delay)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys = append(h.keys, usecase.HashingKeyOf(ctx))
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
