package usecase_test

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// TestDeviceProofs: a proof is good only for the account it was issued
// for, under the key that signed it, unaltered; each issued proof names a
// device of its own.
func TestDeviceProofs(t *testing.T) {
	const alice, bob domain.UserID = 7, 8
	proof := testDevices.Issue(alice)
	nonce, ok := testDevices.Verify(proof, alice)
	if !ok || nonce == "" {
		t.Fatalf("Verify(Issue(%d), %d) = %q, %v, want a nonce, true", alice, alice, nonce, ok)
	}
	if again, _ := testDevices.Verify(testDevices.Issue(alice), alice); again == nonce {
		t.Errorf("two proofs issued for %d name the same device %q", alice, nonce)
	}
	otherKey := usecase.NewDeviceProofs(usecase.DeviceKey("another key of at least 32 bytes!"))
	owner, rest, _ := strings.Cut(proof, ".") // rest is "<nonce>.<mac>"
	tests := []struct {
		name  string
		proof string
		id    domain.UserID
	}{
		{"another account's", proof, bob},
		{"no account", proof, 0},
		{"another key's", otherKey.Issue(alice), alice},
		{"renamed to another account", "8." + rest, bob},
		{"nonce altered", owner + ".AAAA" + rest[4:], alice},
		{"mac cut", proof[:len(proof)-1], alice},
		{"empty", "", alice},
		{"malformed", "garbage", alice},
		{"too long", proof + strings.Repeat("x", 300), alice},
	}
	for _, tt := range tests {
		if nonce, ok := testDevices.Verify(tt.proof, tt.id); ok || nonce != "" {
			t.Errorf("Verify(%s proof, %d) = %q, %v, want \"\", false", tt.name, tt.id, nonce, ok)
		}
	}
}
