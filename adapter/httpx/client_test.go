package httpx

import (
	"bufio"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
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
		{"ipv4 entry with a port", "10.0.0.2", "198.51.100.1:5678", "198.51.100.1"},
		{"ipv6 entry with a port", "10.0.0.2", "[2001:db8:abcd::7]:443", "2001:db8:abcd::7"},
		{"trusted proxy with a port", "10.0.0.2", "198.51.100.1, 10.0.0.3:8080", "198.51.100.1"},
		{"client-written entry with a port is not believed", "10.0.0.2", "6.6.6.6:1, 198.51.100.1:2", "198.51.100.1"},
		{"bare ipv6 in brackets without a port is garbled", "10.0.0.2", "[2001:db8:abcd::7]", "10.0.0.2"},
	}
	for _, tt := range tests {
		got := clientAddress(netip.MustParseAddr(tt.peer).Unmap(), tt.xff, trusted)
		if got.String() != tt.want {
			t.Errorf("%s: clientAddress(peer %s, XFF %q) = %s, want %s", tt.name, tt.peer, tt.xff, got, tt.want)
		}
	}
}

// TestClientOfJoinsForwardedForLines protects the throttles and the
// security history from a client that sends an X-Forwarded-For line of
// its own before the one its proxy appends to: every line counts, in
// order, as one list (RFC 9110, 5.3), so the proxy's entry is the
// right-most one and the forged first line is never believed.
func TestClientOfJoinsForwardedForLines(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"a forged first line", []string{"6.6.6.6", "198.51.100.1"}, "198.51.100.1"},
		{"a forged first line, then a trusted hop", []string{"6.6.6.6", "198.51.100.1, 10.0.0.3"}, "198.51.100.1"},
		{"lines of several entries", []string{"6.6.6.6, 7.7.7.7", "198.51.100.1"}, "198.51.100.1"},
		{"an empty line adds no entry", []string{"198.51.100.1", ""}, "198.51.100.1"},
		{"one line", []string{"198.51.100.1"}, "198.51.100.1"},
	}
	app := fiber.New()
	for _, tt := range tests {
		raw := "GET /login HTTP/1.1\r\nHost: x\r\nUser-Agent: probe/1\r\n"
		for _, line := range tt.lines {
			raw += "X-Forwarded-For: " + line + "\r\n"
		}
		raw += "\r\n"
		var req fasthttp.Request
		if err := req.Read(bufio.NewReader(strings.NewReader(raw))); err != nil {
			t.Fatalf("%s: parse %q: %v", tt.name, raw, err)
		}
		var fctx fasthttp.RequestCtx
		fctx.Init(&req, &net.TCPAddr{IP: net.ParseIP("10.0.0.2"), Port: 40000}, nil)
		c := app.AcquireCtx(&fctx)
		got := ClientOf(c, trusted)
		app.ReleaseCtx(c)
		if got.IP.String() != tt.want || got.UserAgent != "probe/1" {
			t.Errorf("%s: ClientOf(peer 10.0.0.2, X-Forwarded-For lines %q) = %s %q, want %s %q",
				tt.name, tt.lines, got.IP, got.UserAgent, tt.want, "probe/1")
		}
	}
}
