package api

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// clientIP returns the address of the client behind the request, by the
// site's rule (TRUSTED_PROXIES): the socket's peer unless that peer is a
// trusted proxy; then the right-most X-Forwarded-For entry that is not
// itself a trusted proxy. The left-most entries are whatever the client
// chose to send, so they are never believed on their own.
//
// It is a copy of the web adapter's clientIP: adapters never import each
// other, and both must count a client the same way for the throttles,
// which key on this address. Both copies have the same table test.
func clientIP(c *fiber.Ctx, trusted []netip.Prefix) netip.Addr {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	peer = peer.Unmap()
	if !isTrusted(peer, trusted) {
		return peer
	}
	header := c.Get(fiber.HeaderXForwardedFor)
	client := peer
	for header != "" {
		var entry string
		if i := strings.LastIndexByte(header, ','); i >= 0 {
			header, entry = header[:i], header[i+1:]
		} else {
			header, entry = "", header
		}
		addr, err := netip.ParseAddr(strings.TrimSpace(entry))
		if err != nil {
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

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}
