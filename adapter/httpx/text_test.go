package httpx

import "testing"

func TestCleanText(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", true},
		{"alice", true},
		{"Zoë 東京 🙂", true},
		{"tab\there", false},
		{"nul\x00", false},
		{"line\nbreak", false},
		{"del\x7f", false},
		{"c1 \u0085", false},
		{"bad \xff utf8", false},
		{"truncated\xe2\x82", false},
		{"surrogate\xed\xa0\x80", false},
		{"\ufffd is a character", true},
	}
	for _, tt := range tests {
		if got := CleanText(tt.in); got != tt.want {
			t.Errorf("CleanText(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestIsAPIPath(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/api", true},
		{"/api/", true},
		{"/api/v1/me", true},
		{"/API/V1/ME", true},
		{"/apix", false},
		{"/apidocs/x", false},
		{"/", false},
		{"/login", false},
		{"/static/api/x", false},
	}
	for _, tt := range tests {
		if got := IsAPIPath(tt.path); got != tt.want {
			t.Errorf("IsAPIPath(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}
