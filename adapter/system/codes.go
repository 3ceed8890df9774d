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
	return t.drawCode(domain.CodeLength)
}

// drawCode returns n characters of domain.CodeAlphabet, one random byte's
// low five bits each.
func (t *Tokens) drawCode(n int) (string, error) {
	buf := make([]byte, n)
	if _, err := io.ReadFull(t.r, buf); err != nil {
		return "", fmt.Errorf("system: read code randomness: %w", err)
	}
	for i, b := range buf {
		buf[i] = domain.CodeAlphabet[b&31]
	}
	return string(buf), nil
}

var _ usecase.RecoveryCodeSource = (*Tokens)(nil)

// NewRecoveryCode returns domain.RecoveryCodeLength characters of
// domain.CodeAlphabet (60 bits), drawn as NewCode draws them.
func (t *Tokens) NewRecoveryCode() (string, error) {
	return t.drawCode(domain.RecoveryCodeLength)
}
