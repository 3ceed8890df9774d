package domain_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestNormalizeRecoveryCode(t *testing.T) {
	tests := []struct {
		raw, want string
		ok        bool
	}{
		{"ABCD-EFGH-JKLM", "ABCDEFGHJKLM", true},
		{" abcd efgh jklm ", "ABCDEFGHJKLM", true},
		{"abcdefghjklm", "ABCDEFGHJKLM", true},
		{"123456", "", false},          // an authenticator code
		{"ABCD-EFGH-JKL", "", false},   // too short
		{"ABCD-EFGH-JKLMN", "", false}, // too long
		{"ABCD-EFGH-JKL0", "", false},  // 0 is not in the alphabet
		{"ABCD-EFGH-JKLÉ", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := domain.NormalizeRecoveryCode(tt.raw)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, %v, want %q, %v", tt.raw, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatRecoveryCodeRoundTrips(t *testing.T) {
	formatted := domain.FormatRecoveryCode("ABCDEFGHJKLM")
	if formatted != "ABCD-EFGH-JKLM" {
		t.Fatalf("FormatRecoveryCode() = %q, want ABCD-EFGH-JKLM", formatted)
	}
	if got, ok := domain.NormalizeRecoveryCode(formatted); !ok || got != "ABCDEFGHJKLM" {
		t.Errorf("NormalizeRecoveryCode(%q) = %q, %v, want the code back", formatted, got, ok)
	}
}
