package httpx

import (
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
// so they are never believed on their own). The User-Agent goes to the
// use case as sent (a copy: Fiber reuses the request's buffers); the use
// case decides what of it is kept.
func ClientOf(c *fiber.Ctx, trusted []netip.Prefix) usecase.Client {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return usecase.Client{
		IP:        clientAddress(peer.Unmap(), c.Get(fiber.HeaderXForwardedFor), trusted),
		UserAgent: strings.Clone(c.Get(fiber.HeaderUserAgent)),
	}
}

// clientAddress applies ClientOf's rule to a peer and the value of an
// X-Forwarded-For header.
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
