package sealbox

import (
	"bytes"
	"errors"
	"testing"
)

var secretKey = []byte("0123456789abcdef0123456789abcdef")

func TestSealOpens(t *testing.T) {
	box, err := New(secretKey, "purpose v1")
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("JBSWY3DPEHPK3PXP")
	sealed, err := box.Seal(plain, []byte("totp:1"))
	if err != nil {
		t.Fatalf("Seal() error = %v", err)
	}
	if bytes.Contains(sealed, plain) {
		t.Errorf("Seal() = %x holds the plain text", sealed)
	}
	again, _ := box.Seal(plain, []byte("totp:1"))
	if bytes.Equal(sealed, again) {
		t.Errorf("Seal() twice gave the same bytes: the nonce must be new each time")
	}
	got, err := box.Open(sealed, []byte("totp:1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Errorf("Open(Seal(x)) = %q, %v, want %q", got, err, plain)
	}
}

// TestOpenRefuses: a value tampered with, sealed for another account,
// under another key or purpose, or cut short does not open.
func TestOpenRefuses(t *testing.T) {
	box, _ := New(secretKey, "purpose v1")
	sealed, _ := box.Seal([]byte("secret"), []byte("totp:1"))
	otherKey, _ := New([]byte("another key, also 32 bytes long!"), "purpose v1")
	otherPurpose, _ := New(secretKey, "purpose v2")
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1
	wrongVersion := bytes.Clone(sealed)
	wrongVersion[0] = 2
	tests := []struct {
		name    string
		box     *Box
		sealed  []byte
		context string
	}{
		{"tampered", box, flipped, "totp:1"},
		{"other account", box, sealed, "totp:2"},
		{"other key", otherKey, sealed, "totp:1"},
		{"other purpose", otherPurpose, sealed, "totp:1"},
		{"unknown version", box, wrongVersion, "totp:1"},
		{"short", box, sealed[:10], "totp:1"},
		{"empty", box, nil, "totp:1"},
	}
	for _, tt := range tests {
		if got, err := tt.box.Open(tt.sealed, []byte(tt.context)); !errors.Is(err, ErrOpen) {
			t.Errorf("Open(%s) = %q, %v, want %v", tt.name, got, err, ErrOpen)
		}
	}
}

func TestNewRefusesAnEmptyKey(t *testing.T) {
	if _, err := New(nil, "purpose"); err == nil {
		t.Errorf("New(empty key) error = nil, want an error")
	}
}
