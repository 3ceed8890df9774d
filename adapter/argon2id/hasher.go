package argon2id

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.PasswordHasher = (*Hasher)(nil)

// Hasher hashes passwords with fixed Argon2id parameters and verifies
// hashes made with any valid parameters. It is safe for concurrent use and
// runs as many hashes at once as it is called with, each holding its memory
// cost until it ends; wrap it in a Pool to bound that.
type Hasher struct {
	params Params
	rand   io.Reader
}

// New returns a Hasher that hashes with p, or an error if p is invalid.
func New(p Params) (*Hasher, error) {
	return newWithRand(p, rand.Reader)
}

// newWithRand is New with a chosen salt source, for tests.
func newWithRand(p Params, r io.Reader) (*Hasher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Hasher{params: p, rand: r}, nil
}

// Hash derives a 32-byte key from password and a fresh 16-byte random salt
// and returns both with the parameters as a PHC string. It returns an error
// wrapping ctx.Err() without hashing when ctx is already done; once started,
// hashing runs to the end.
func (h *Hasher) Hash(ctx context.Context, password domain.Password) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("argon2id: hash: %w", err)
	}
	salt := make([]byte, saltLen)
	if _, err := io.ReadFull(h.rand, salt); err != nil {
		return "", fmt.Errorf("argon2id: read salt: %w", err)
	}
	key := derive(password, salt, h.params, keyLen)
	return encode(h.params, salt, key), nil
}

// Saturated is always false: a bare Hasher runs every call at once.
func (h *Hasher) Saturated(context.Context) bool { return false }

// Verify reports whether password matches encoded, comparing in constant
// time. When it matches, needsRehash reports whether encoded was made with
// parameters, salt length or key length other than h's. A malformed or
// unsupported encoded returns an error wrapping ErrInvalidHash. Like Hash,
// it returns an error wrapping ctx.Err() when ctx is already done.
func (h *Hasher) Verify(ctx context.Context, password domain.Password, encoded string) (match, needsRehash bool, err error) {
	if err := ctx.Err(); err != nil {
		return false, false, fmt.Errorf("argon2id: verify: %w", err)
	}
	stored, err := decode(encoded)
	if err != nil {
		return false, false, err
	}
	key := derive(password, stored.salt, stored.params, uint32(len(stored.key)))
	if subtle.ConstantTimeCompare(key, stored.key) != 1 {
		return false, false, nil
	}
	stale := stored.params != h.params || len(stored.salt) != saltLen || len(stored.key) != keyLen
	return true, stale, nil
}

// derive runs Argon2id; p must be valid.
func derive(password domain.Password, salt []byte, p Params, size uint32) []byte {
	return argon2.IDKey([]byte(password.Reveal()), salt, p.Time, p.MemoryKiB, p.Threads, size)
}
