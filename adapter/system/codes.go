package system

import (
	"fmt"
	"io"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.CodeSource = (*Tokens)(nil)

// NewCode returns domain.CodeLength characters of domain.CodeAlphabet.
// The alphabet has 32 symbols, so each byte's low five bits pick one with
// no bias.
func (t *Tokens) NewCode() (string, error) {
	var buf [domain.CodeLength]byte
	if _, err := io.ReadFull(t.r, buf[:]); err != nil {
		return "", fmt.Errorf("system: read code randomness: %w", err)
	}
	out := make([]byte, domain.CodeLength)
	for i, b := range buf {
		out[i] = domain.CodeAlphabet[b&31]
	}
	return string(out), nil
}
