package httpx_test

import (
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
)

func TestParseID(t *testing.T) {
	tests := []struct {
		raw  string
		want int64
		ok   bool
	}{
		{"1", 1, true},
		{"42", 42, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false},
		{"99999999999999999999", 0, false},
		{"0", 0, false},
		{"007", 0, false},
		{"-1", 0, false},
		{"+1", 0, false},
		{"1.0", 0, false},
		{"1e3", 0, false},
		{" 1", 0, false},
		{"0x10", 0, false},
		{"%31", 0, false},
		{"current", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := httpx.ParseID(tt.raw)
		if tt.ok && (err != nil || got != tt.want) {
			t.Errorf("ParseID(%q) = %d, %v, want %d", tt.raw, got, err, tt.want)
		}
		if !tt.ok && !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("ParseID(%q) = %d, %v, want domain.ErrNotFound", tt.raw, got, err)
		}
	}
}
