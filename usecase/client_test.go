package usecase_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/usecase"
)

func TestNewClientAddress(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::1/128")}
	tests := []struct {
		name, peer, xff, want string
	}{
		{"direct client", "203.0.113.5", "", "203.0.113.5"},
		{"untrusted peer's header is ignored", "203.0.113.5", "198.51.100.1", "203.0.113.5"},
		{"trusted proxy, one hop", "10.0.0.2", "198.51.100.1", "198.51.100.1"},
		{"client-written left-most entry is not believed", "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"},
		{"two trusted proxies", "10.0.0.2", "6.6.6.6, 198.51.100.1, 10.0.0.3", "198.51.100.1"},
		{"all entries trusted", "10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"},
		{"garbled entry stops trust", "10.0.0.2", "198.51.100.1, garbage", "10.0.0.2"},
		{"trusted proxy without header", "10.0.0.2", "", "10.0.0.2"},
		{"ipv6 proxy", "2001:db8::1", "2001:db8:abcd::7", "2001:db8:abcd::7"},
		{"mapped ipv4 entry", "10.0.0.2", "::ffff:198.51.100.1", "198.51.100.1"},
		{"mapped ipv4 peer", "::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"},
	}
	for _, tt := range tests {
		got := usecase.NewClient(netip.MustParseAddr(tt.peer), tt.xff, trusted, "").IP
		if got.String() != tt.want {
			t.Errorf("%s: NewClient(peer %s, XFF %q).IP = %s, want %s", tt.name, tt.peer, tt.xff, got, tt.want)
		}
	}
}

func TestNewClientUserAgent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (X11; Linux x86_64)"},
		{"evil\r\nheader\x00", "evilheader"},
		{"bad \xff utf8", "bad  utf8"},
		{strings.Repeat("a", 600), strings.Repeat("a", 512)},
		{strings.Repeat("a", 511) + "é", strings.Repeat("a", 511)}, // a cut through a character drops it
	}
	for _, tt := range tests {
		if got := usecase.NewClient(netip.Addr{}, "", nil, tt.in).UserAgent; got != tt.want {
			t.Errorf("NewClient(UA %.20q).UserAgent = %.20q (%d bytes), want %.20q", tt.in, got, len(got), tt.want)
		}
	}
}
