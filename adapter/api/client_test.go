package api

import (
	"strings"
	"testing"
)

func TestCleanUserAgent(t *testing.T) {
	long := strings.Repeat("a", maxUserAgent-1) + "é" // the cut splits é
	tests := []struct{ ua, want string }{
		{"", ""},
		{"Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)"},
		{"bad\x00agent\r\n", "badagent"},
		{"bad\xffutf8", "badutf8"},
		{strings.Repeat("b", 2*maxUserAgent), strings.Repeat("b", maxUserAgent)},
		{long, strings.Repeat("a", maxUserAgent-1)},
	}
	for _, tt := range tests {
		if got := cleanUserAgent(tt.ua); got != tt.want {
			t.Errorf("cleanUserAgent(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}
