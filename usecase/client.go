package usecase

import (
	"net/netip"
	"strings"
	"unicode"
)

// Client describes where a request came from, as the delivery determined
// it: the address the throttles key on and the security history shows,
// and the client's own description of itself (a browser's User-Agent).
type Client struct {
	IP        netip.Addr
	UserAgent string
}

// maxUserAgent bounds what is kept of a client's self-description.
const maxUserAgent = 512

// ipText is the client address as stored, "" when unknown.
func (c Client) ipText() string {
	if !c.IP.IsValid() {
		return ""
	}
	return c.IP.Unmap().String()
}

// userAgent is the client's self-description as stored: at most
// maxUserAgent bytes, without invalid UTF-8 (a character the cut split
// included) or control characters, whatever the delivery passed.
func (c Client) userAgent() string {
	ua := c.UserAgent
	if len(ua) > maxUserAgent {
		ua = ua[:maxUserAgent]
	}
	ua = strings.ToValidUTF8(ua, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, ua)
}
