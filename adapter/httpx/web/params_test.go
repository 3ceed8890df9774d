package web

import "testing"

func TestParsePage(t *testing.T) {
	tests := []struct {
		raw  string
		want int
	}{
		{"", 1}, {"1", 1}, {"2", 2}, {"0", 1}, {"-3", 1}, {"x", 1}, {"1000001", 1}, {"1000000", 1000000},
	}
	for _, tt := range tests {
		if got := parsePage(tt.raw); got != tt.want {
			t.Errorf("parsePage(%q) = %d, want %d", tt.raw, got, tt.want)
		}
	}
}
