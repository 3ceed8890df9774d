package usecase

import (
	"net/netip"
	"strings"
	"unicode"
)

// NewClient describes where a request came from, the same way for every
// delivery adapter, since the throttles key on the address: peer is the
// socket's address and forwardedFor the X-Forwarded-For header. The
// address is peer unless peer is in trusted; then it is the right-most
// forwardedFor entry that is not itself trusted (the left-most entries are
// whatever the client chose to send, so they are never believed on their
// own). The User-Agent is cut to 512 bytes, without invalid UTF-8 or
// control characters.
func NewClient(peer netip.Addr, forwardedFor string, trusted []netip.Prefix, userAgent string) Client {
	return Client{IP: clientAddress(peer.Unmap(), forwardedFor, trusted), UserAgent: cleanUserAgent(userAgent)}
}

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

// cleanUserAgent returns a copy of ua cut to at most maxUserAgent bytes,
// without invalid UTF-8 (a character the cut split included) or control
// characters.
func cleanUserAgent(ua string) string {
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	ua = strings.ToValidUTF8(ua, "")
	ua = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, ua)
	return strings.Clone(ua)
}
