package domain_test

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestNewEmailAddress(t *testing.T) {
	good := map[string]string{
		"alice@example.com":        "alice@example.com",
		"  Alice@Example.COM ":     "alice@example.com",
		"a.b+tag@mail.example.org": "a.b+tag@mail.example.org",
	}
	for raw, canonical := range good {
		a, err := domain.NewEmailAddress(raw)
		if err != nil || a.Canonical() != canonical || a.String() != strings.TrimSpace(raw) {
			t.Errorf("NewEmailAddress(%q) = %q (%q), %v; want it kept as typed, canonical %q", raw, a, a.Canonical(), err, canonical)
		}
	}
	for _, raw := range []string{"", "alice", "alice@", "@example.com", "alice@localhost", "Alice <alice@example.com>",
		"alice@example.com, bob@example.com", "alice@[127.0.0.1]", "al ice@example.com", "alice@example.com.", "a@b@example.com",
		strings.Repeat("a", 250) + "@example.com", "alice\n@example.com"} {
		if _, err := domain.NewEmailAddress(raw); err == nil {
			t.Errorf("NewEmailAddress(%q) error = nil, want refused", raw)
		}
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"K7QW3MZP", "K7QW3MZP", true},
		{"k7qw-3mzp", "K7QW3MZP", true},
		{" k7qw 3mzp ", "K7QW3MZP", true},
		{"K7QW3MZ", "", false},
		{"K7QW3MZPP", "", false},
		{"K7QW3MZ0", "", false}, // 0 is not in the alphabet
		{"K7QW3MZI", "", false},
		{"K7QW3MZ\u00e9", "", false},
	}
	for _, tt := range tests {
		got, ok := domain.NormalizeCode(tt.raw)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}
