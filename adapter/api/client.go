package api

import (
	"strings"
	"unicode"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// maxUserAgent bounds the User-Agent text handed to the use cases, which
// keep it with sessions and security events.
const maxUserAgent = 512

// client describes where the request came from, for every use case that
// records it: the address clientIP believes and the User-Agent header.
func (h *Handler) client(c *fiber.Ctx) usecase.Client {
	return usecase.Client{
		IP:        clientIP(c, h.cfg.TrustedProxies),
		UserAgent: cleanUserAgent(c.Get(fiber.HeaderUserAgent)),
	}
}

// cleanUserAgent returns a copy of ua (Fiber may reuse the header's
// buffer) cut to at most maxUserAgent bytes, without invalid UTF-8 (a
// character the cut split included) or control characters.
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
