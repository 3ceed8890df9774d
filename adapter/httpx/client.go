package httpx

import (
	"bytes"
	"net/netip"
	"strings"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// ClientOf describes where the request in c came from, by the one rule
// both deliveries share, since the throttles key on the address and the
// security history shows it: the socket's peer, unless the peer is in
// trusted; then the right-most X-Forwarded-For entry that is not itself
// trusted (the left-most entries are whatever the client chose to send,
// so they are never believed on their own). Every X-Forwarded-For header
// line counts, in the order received: several lines are one list (RFC
// 9110, 5.3), and reading only the first would let a client that sends
// its own first line hide the entries the proxies appended. The
// User-Agent goes to the use case as sent (a copy: Fiber reuses the
// request's buffers); the use case decides what of it is kept.
func ClientOf(c *fiber.Ctx, trusted []netip.Prefix) usecase.Client {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return usecase.Client{
		IP:        clientAddress(peer.Unmap(), forwardedFor(c), trusted),
		UserAgent: strings.Clone(c.Get(fiber.HeaderUserAgent)),
	}
}

// forwardedFor joins the request's X-Forwarded-For lines into the one
// comma-separated list they stand for; empty lines add no entry.
func forwardedFor(c *fiber.Ctx) string {
	var list strings.Builder
	for _, line := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if list.Len() > 0 {
			list.WriteByte(',')
		}
		list.Write(line)
	}
	return list.String()
}

// clientAddress applies ClientOf's rule to a peer and the value of an
// X-Forwarded-For header (all its lines joined).
func clientAddress(peer netip.Addr, forwardedFor string, trusted []netip.Prefix) netip.Addr {
	if !isTrusted(peer, trusted) {
		return peer
	}
	client := peer
	for forwardedFor != "" {
		var entry string
		if i := strings.LastIndexByte(forwardedFor, ','); i >= 0 {
			forwardedFor, entry = forwardedFor[:i], forwardedFor[i+1:]
		} else {
			forwardedFor, entry = "", forwardedFor
		}
		addr, ok := parseHop(strings.TrimSpace(entry))
		if !ok {
			// A garbled hop: trust stops here, at the last good address.
			return client
		}
		client = addr.Unmap()
		if !isTrusted(client, trusted) {
			return client
		}
	}
	return client
}

// parseHop reads one X-Forwarded-For entry: an address, or an address
// with the port it came from ("192.0.2.1:5678", "[2001:db8::1]:443"),
// which some proxies append; the port is dropped.
func parseHop(entry string) (netip.Addr, bool) {
	if addr, err := netip.ParseAddr(entry); err == nil {
		return addr, true
	}
	if ap, err := netip.ParseAddrPort(entry); err == nil {
		return ap.Addr(), true
	}
	return netip.Addr{}, false
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
