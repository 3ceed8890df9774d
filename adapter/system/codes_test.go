package system

import (
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestNewCode(t *testing.T) {
	tokens := NewTokens()
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 2000 {
		c, err := tokens.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := domain.NormalizeCode(c); !ok || n != c {
			t.Fatalf("NewCode() = %q, want %d characters of %s", c, domain.CodeLength, domain.CodeAlphabet)
		}
		if seen[c] {
			t.Fatalf("NewCode() repeated %q", c)
		}
		seen[c] = true
		for _, r := range c {
			counts[r]++
		}
	}
	if len(counts) != len(domain.CodeAlphabet) {
		t.Errorf("2000 codes used %d symbols, want all %d", len(counts), len(domain.CodeAlphabet))
	}
	if len(domain.CodeAlphabet) != 32 || domain.CodeLength*5 < 40 {
		t.Errorf("alphabet of %d symbols, %d characters: want at least 40 bits", len(domain.CodeAlphabet), domain.CodeLength)
	}
}

func TestNewRecoveryCode(t *testing.T) {
	tokens := NewTokens()
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 1000 {
		c, err := tokens.NewRecoveryCode()
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := domain.NormalizeRecoveryCode(c); !ok || n != c {
			t.Fatalf("NewRecoveryCode() = %q, want %d characters of %s", c, domain.RecoveryCodeLength, domain.CodeAlphabet)
		}
		if seen[c] {
			t.Fatalf("NewRecoveryCode() repeated %q", c)
		}
		seen[c] = true
		for _, r := range c {
			counts[r]++
		}
	}
	if len(counts) != len(domain.CodeAlphabet) {
		t.Errorf("1000 codes used %d symbols, want all %d", len(counts), len(domain.CodeAlphabet))
	}
	if domain.RecoveryCodeLength*5 < 50 {
		t.Errorf("%d characters of 5 bits: want at least 50 bits", domain.RecoveryCodeLength)
	}
}
