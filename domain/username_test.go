package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestNewUsername(t *testing.T) {
	tests := []struct {
		raw           string
		wantDisplay   string
		wantCanonical string
		wantErr       bool
	}{
		{raw: "alice", wantDisplay: "alice", wantCanonical: "alice"},
		{raw: "  Alice  ", wantDisplay: "Alice", wantCanonical: "alice"},
		{raw: "ALICE", wantDisplay: "ALICE", wantCanonical: "alice"},
		{raw: "a.b_c-d", wantDisplay: "a.b_c-d", wantCanonical: "a.b_c-d"},
		{raw: "Ｂｏｂ", wantDisplay: "Bob", wantCanonical: "bob"}, // fullwidth letters fold under NFKC
		{raw: "Straße", wantDisplay: "Straße", wantCanonical: "strasse"},
		{raw: "Zoë123", wantDisplay: "Zoë123", wantCanonical: "zoë123"},
		{raw: "Zoe\u0308x", wantDisplay: "Zoëx", wantCanonical: "zoëx"}, // combining diaeresis composes
		{raw: strings.Repeat("a", 32), wantDisplay: strings.Repeat("a", 32), wantCanonical: strings.Repeat("a", 32)},
		{raw: "", wantErr: true},
		{raw: "   ", wantErr: true},
		{raw: "ab", wantErr: true},
		{raw: strings.Repeat("a", 33), wantErr: true},
		{raw: "al ice", wantErr: true},
		{raw: "alice@example", wantErr: true},
		{raw: "<script>", wantErr: true},
		{raw: "ali\x00ce", wantErr: true},
		{raw: "ali\nce", wantErr: true},
		{raw: "ali\xffce", wantErr: true},
	}
	for _, tt := range tests {
		got, err := domain.NewUsername(tt.raw)
		if tt.wantErr {
			var invalid *domain.InvalidError
			if !errors.As(err, &invalid) || invalid.Message == "" {
				t.Errorf("NewUsername(%q) error = %v, want an *InvalidError with a message", tt.raw, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("NewUsername(%q) error = %v, want nil", tt.raw, err)
			continue
		}
		if got.String() != tt.wantDisplay || got.Canonical() != tt.wantCanonical {
			t.Errorf("NewUsername(%q) = (%q, %q), want (%q, %q)", tt.raw, got.String(), got.Canonical(), tt.wantDisplay, tt.wantCanonical)
		}
	}
}

func TestRestoreUsernameMatchesNew(t *testing.T) {
	for _, raw := range []string{"Alice", "Straße", "Zoë123"} {
		u, err := domain.NewUsername(raw)
		if err != nil {
			t.Fatalf("NewUsername(%q) error = %v", raw, err)
		}
		if r := domain.RestoreUsername(u.String()); r != u {
			t.Errorf("RestoreUsername(%q) = %#v, want %#v", u.String(), r, u)
		}
	}
}
