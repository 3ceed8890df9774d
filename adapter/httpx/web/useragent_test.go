package web

import (
	"testing"

	"github.com/medama-io/go-useragent"
)

func TestDescribeAgent(t *testing.T) {
	tests := []struct{ ua, want string }{
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", "Chrome on Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Safari on macOS"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "Safari on iOS"},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "Firefox on Linux"},
		{"", unknownDevice},
		{"<script>alert(1)</script>", unknownDevice},
	}
	parser := useragent.NewParser()
	for _, tt := range tests {
		if got := describeAgent(parser, tt.ua); got != tt.want {
			t.Errorf("describeAgent(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}
