package api

import (
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gofiber/fiber/v2"
)

// route is one endpoint of openapi.json: a method, a path under
// httpx.APIPrefix in
// Fiber's syntax, and its handlers.
type route struct {
	method   string
	path     string
	handlers []fiber.Handler
}

// routes lists every endpoint, in matching order: /sessions/current
// before /sessions/:id.
func (h *Handler) routes() []route {
	// signedIn is an endpoint for callers with a token whose password need
	// not be changed first; untilChanged one of the few that also answer
	// a caller who must change it: what it takes to change it, to see
	// that it must be changed, and to log out.
	signedIn := func(handler fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireToken, h.requirePasswordChanged, handler}
	}
	untilChanged := func(handler fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireToken, handler}
	}
	return []route{
		{fiber.MethodPost, "/v1/users", []fiber.Handler{h.createUser}},
		{fiber.MethodPost, "/v1/sessions", []fiber.Handler{h.createSession}},
		{fiber.MethodPost, "/v1/sessions/second-factor", []fiber.Handler{h.completeSecondFactor}},
		{fiber.MethodPost, "/v1/passkeys/login/options", []fiber.Handler{h.passkeyLoginOptions}},
		{fiber.MethodPost, "/v1/passkeys/login", []fiber.Handler{h.passkeyLogin}},
		{fiber.MethodPost, "/v1/sessions/oidc", []fiber.Handler{h.createOIDCSession}},
		{fiber.MethodGet, "/v1/sessions", signedIn(h.listSessions)},
		{fiber.MethodDelete, "/v1/sessions/current", untilChanged(h.deleteCurrentSession)},
		{fiber.MethodDelete, "/v1/sessions/:id", signedIn(h.deleteSession)},
		{fiber.MethodGet, "/v1/me", untilChanged(h.me)},
		{fiber.MethodPatch, "/v1/me", signedIn(h.updateMe)},
		{fiber.MethodPut, "/v1/me/password", untilChanged(h.changePassword)},
		{fiber.MethodPut, "/v1/me/email", signedIn(h.changeEmail)},
		{fiber.MethodDelete, "/v1/me/email", signedIn(h.removeEmail)},
		{fiber.MethodPost, "/v1/me/email/verify", signedIn(h.verifyEmail)},
		{fiber.MethodPost, "/v1/recovery", []fiber.Handler{h.requestRecovery}},
		{fiber.MethodPost, "/v1/recovery/reset", []fiber.Handler{h.resetPassword}},
		{fiber.MethodGet, "/v1/me/identities", signedIn(h.listIdentities)},
		{fiber.MethodDelete, "/v1/me/identities/:provider", signedIn(h.deleteIdentity)},
		{fiber.MethodGet, "/v1/openapi.json", []fiber.Handler{h.openAPI}},
	}
}

// noRoute ends the API's app: an /api request that no route took is a
// 404, or a 405 when its path takes other methods. It never falls through
// to the site.
func (h *Handler) noRoute(c *fiber.Ctx) error {
	if !httpx.IsAPIPath(c.Path()) {
		return c.Next()
	}
	if allowedMethods(h.routes(), c.Path()) != "" {
		return errMethodNotAllowed
	}
	return errNoRoute
}

// allowedMethods lists, for an Allow header, the methods routes take at
// path.
func allowedMethods(routes []route, path string) string {
	var allowed []string
	for _, r := range routes {
		if httpx.MatchesRoute(httpx.APIPrefix+r.path, path) && !slices.Contains(allowed, r.method) {
			allowed = append(allowed, r.method)
		}
	}
	return strings.Join(allowed, ", ")
}
