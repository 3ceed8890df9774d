// Package sealbox seals secrets kept at rest with AES-256-GCM under a key
// derived from SECRET_KEY with HKDF-SHA-256 (golang.org/x/crypto/hkdf) for
// one purpose, so the key that seals TOTP secrets signs nothing else.
package sealbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/hkdf"

	"github.com/gatehouse/gatehouse/usecase"
)

var _ usecase.SecretSealer = (*Box)(nil)

// version prefixes every sealed value, so that a later format or key can
// be told apart from this one.
const version byte = 1

// ErrOpen reports a sealed value that does not open: tampered with,
// sealed for another context, or under another key.
var ErrOpen = errors.New("sealbox: cannot open sealed value")

// Box seals and opens values under one derived key.
type Box struct {
	aead cipher.AEAD
}

// New derives the key for purpose (an HKDF info string such as
// "gatehouse totp secret v1") from secret and returns a Box under it.
func New(secret []byte, purpose string) (*Box, error) {
	if len(secret) == 0 {
		return nil, errors.New("sealbox: empty secret key")
	}
	key := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, nil, []byte(purpose)), key); err != nil {
		return nil, fmt.Errorf("sealbox: derive key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sealbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sealbox: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal returns version || random nonce || AES-GCM(plain), with context as
// the additional data.
func (b *Box) Seal(plain, context []byte) ([]byte, error) {
	out := make([]byte, 1+b.aead.NonceSize(), 1+b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("sealbox: nonce: %w", err)
	}
	return b.aead.Seal(out, out[1:], plain, context), nil
}

// Open reverses Seal for the same context, or returns ErrOpen.
func (b *Box) Open(sealed, context []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], context)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}
