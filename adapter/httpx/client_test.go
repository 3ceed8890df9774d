package httpx

import (
	"net/netip"
	"testing"
)

func TestClientAddress(t *testing.T) {
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
		got := clientAddress(netip.MustParseAddr(tt.peer).Unmap(), tt.xff, trusted)
		if got.String() != tt.want {
			t.Errorf("%s: clientAddress(peer %s, XFF %q) = %s, want %s", tt.name, tt.peer, tt.xff, got, tt.want)
		}
	}
}
