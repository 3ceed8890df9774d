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

var _ usecase.RecoveryCodeSource = (*Tokens)(nil)

// NewRecoveryCode returns domain.RecoveryCodeLength characters of
// domain.CodeAlphabet (60 bits), drawn as NewCode draws them.
func (t *Tokens) NewRecoveryCode() (string, error) {
	var buf [domain.RecoveryCodeLength]byte
	if _, err := io.ReadFull(t.r, buf[:]); err != nil {
		return "", fmt.Errorf("system: read recovery code randomness: %w", err)
	}
	out := make([]byte, domain.RecoveryCodeLength)
	for i, b := range buf {
		out[i] = domain.CodeAlphabet[b&31]
	}
	return string(out), nil
}
