package api

import (
	"net/netip"

	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// client describes where the request came from, for every use case that
// records it, by the rule every adapter shares (usecase.NewClient): the
// socket's peer, or behind a trusted proxy the right-most untrusted
// X-Forwarded-For entry, and the User-Agent header.
func (h *Handler) client(c *fiber.Ctx) usecase.Client {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return usecase.NewClient(peer, c.Get(fiber.HeaderXForwardedFor), h.cfg.TrustedProxies, c.Get(fiber.HeaderUserAgent))
}
