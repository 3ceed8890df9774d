package system

import (
	"crypto/rand"
	"fmt"
	"io"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.TokenSource = (*Tokens)(nil)

// Tokens makes session tokens from crypto/rand. It is safe for concurrent
// use.
type Tokens struct {
	r io.Reader
}

// NewTokens returns a Tokens that reads crypto/rand.Reader.
func NewTokens() *Tokens { return newTokens(rand.Reader) }

// newTokens returns a Tokens that reads r, for tests.
func newTokens(r io.Reader) *Tokens { return &Tokens{r: r} }

// NewToken returns a token of domain.TokenBytes random bytes.
func (t *Tokens) NewToken() (domain.Token, error) {
	var buf [domain.TokenBytes]byte
	if _, err := io.ReadFull(t.r, buf[:]); err != nil {
		return "", fmt.Errorf("system: read token randomness: %w", err)
	}
	return domain.NewToken(buf), nil
}
