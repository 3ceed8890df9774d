package api

import (
	"log/slog"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
)

// Handler serves the JSON API.
type Handler struct {
	registrar httpx.Registrar
	auth      httpx.Authenticator
	sessions  httpx.Sessions
	account   httpx.Account
	emails    httpx.AccountEmail
	recovery  httpx.Recovery
	twoFactor httpx.TwoFactor
	passkeys  httpx.Passkeys    // nil, or not Enabled: no passkey routes (404)
	social    httpx.SocialLogin // nil: no identity providers
	cfg       Config
	log       *slog.Logger
}

// NewHandler returns a Handler that runs the given use cases.
func NewHandler(registrar httpx.Registrar, auth httpx.Authenticator, sessions httpx.Sessions, account httpx.Account, emails httpx.AccountEmail, recovery httpx.Recovery, twoFactor httpx.TwoFactor, passkeys httpx.Passkeys, cfg Config, log *slog.Logger) *Handler {
	return &Handler{
		registrar: registrar,
		auth:      auth,
		sessions:  sessions,
		account:   account,
		emails:    emails,
		recovery:  recovery,
		twoFactor: twoFactor,
		passkeys:  passkeys,
		cfg:       cfg,
		log:       log,
	}
}

// App returns the API as a Fiber app to mount at httpx.APIPrefix, with its own
// error handler. Mount it before the site registers its middleware: Fiber
// puts a mounted app's routes where the mount is in the stack, and the
// app ends in a catch-all that answers every /api request the routes did
// not (404, or 405 with Allow), so none reaches the site's CSRF checks,
// form checks or HTML pages.
func (h *Handler) App() *fiber.App {
	app := fiber.New(fiber.Config{ErrorHandler: h.ErrorHandler, DisableStartupMessage: true})
	app.Use(h.prepare)
	for _, r := range h.routes() {
		app.Add(r.method, r.path, r.handlers...)
		if r.method == fiber.MethodGet {
			app.Add(fiber.MethodHead, r.path, r.handlers...)
		}
	}
	app.Use(h.noRoute)
	return app
}

// prepare gives every API response its security headers and a request
// id of the server's making (httpx.AssignRequestID). Fiber matches a
// mounted app's middleware by bare prefix, so /apix reaches here too:
// such paths are the site's, and pass untouched.
func (h *Handler) prepare(c *fiber.Ctx) error {
	if !httpx.IsAPIPath(c.Path()) {
		return c.Next()
	}
	setSecurityHeaders(c)
	return httpx.AssignRequestID(c)
}

// setSecurityHeaders sets the headers every API response carries, errors
// included: no sniffing, no caching (bodies hold tokens and account
// data), and a policy that lets a browser render nothing from here.
func setSecurityHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")
}

// client is where the request came from (httpx.ClientOf).
func (h *Handler) client(c *fiber.Ctx) usecase.Client {
	return httpx.ClientOf(c, h.cfg.TrustedProxies)
}
