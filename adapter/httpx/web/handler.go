package web

import (
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/templates"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/medama-io/go-useragent"
)

// Handler serves the HTML site.
type Handler struct {
	registrar httpx.Registrar
	auth      httpx.Authenticator
	sessions  httpx.Sessions
	account   httpx.Account
	emails    httpx.AccountEmail // nil: the site offers no addresses
	recovery  httpx.Recovery     // nil: the site offers no recovery
	admin     httpx.Admin
	twoFactor httpx.TwoFactor
	passkeys  httpx.Passkeys    // nil, or not Enabled: the site offers no passkeys
	social    httpx.SocialLogin // nil: no identity providers
	clock     usecase.Clock
	tokens    usecase.TokenSource
	cfg       Config
	cookies   cookieJar
	lastVisit lastVisitCodec
	csrf      csrfCodec
	agents    func() *useragent.Parser
	assets    *assets        // set by Register
	pages     *pageTemplates // set by Register
	log       *slog.Logger
}

// NewHandler returns a Handler that runs the given use cases.
func NewHandler(registrar httpx.Registrar, auth httpx.Authenticator, sessions httpx.Sessions, account httpx.Account, emails httpx.AccountEmail, recovery httpx.Recovery, admin httpx.Admin, twoFactor httpx.TwoFactor, passkeys httpx.Passkeys, clock usecase.Clock, tokens usecase.TokenSource, cfg Config, log *slog.Logger) *Handler {
	return &Handler{
		registrar: registrar,
		auth:      auth,
		sessions:  sessions,
		account:   account,
		emails:    emails,
		recovery:  recovery,
		admin:     admin,
		twoFactor: twoFactor,
		passkeys:  passkeys,
		clock:     clock,
		tokens:    tokens,
		cfg:       cfg,
		cookies:   cookieJar{secure: cfg.CookieSecure},
		lastVisit: newLastVisitCodec(cfg.SecretKey),
		csrf:      newCSRFCodec(cfg.SecretKey),
		agents:    lazyAgentParser(),
		log:       log,
	}
}

// loadSite loads the static files below site's "static" folder and the
// page templates at its root, which link them.
func loadSite(site fs.FS) (*assets, *pageTemplates, error) {
	static, err := fs.Sub(site, "static")
	if err != nil {
		return nil, nil, err
	}
	a, err := newAssets(static)
	if err != nil {
		return nil, nil, err
	}
	pages, err := loadPages(site, a)
	if err != nil {
		return nil, nil, err
	}
	return a, pages, nil
}

// Register loads the static files and the page templates and adds the
// site's middleware and routes to app. A template that does not parse or
// render is an error, which stops the start.
func (h *Handler) Register(app *fiber.App) error {
	var err error
	if h.assets, h.pages, err = loadSite(templates.FS); err != nil {
		return err
	}
	app.Use(httpx.AssignRequestID)
	app.Use(h.securityHeaders)
	// Only static files are compressed: a page holds a secret (the CSRF
	// token) next to text a visitor can inject, which is what BREACH
	// needs. Hashed names are kept for a year; the plain names, which no
	// page links any more, for an hour.
	app.Use("/static", compress.New(), h.assets.serve, filesystem.New(filesystem.Config{
		Root:   http.FS(h.assets.fsys),
		MaxAge: 3600,
	}))
	app.Use(h.loadPrincipal)
	app.Use(h.csrfProtect)
	app.Use(checkForm)

	app.Get("/", h.requireUser, h.dashboard)
	app.Get("/signup", h.signupForm)
	app.Post("/signup", h.signup)
	app.Get("/login", h.loginForm)
	app.Post("/login", h.login)
	app.Get("/login/2fa", h.secondStepForm)
	app.Post("/login/2fa", h.secondStep)
	app.Post("/login/passkey/options", h.passkeyLoginOptions)
	app.Post("/login/passkey", h.passkeyLogin)
	app.Post("/login/2fa/passkey/options", h.passkeySecondStepOptions)
	app.Post("/login/2fa/passkey", h.passkeySecondStep)
	h.registerSocial(app)
	app.Get("/logout", h.logoutForm)
	app.Post("/logout", h.logout)
	if h.recovery != nil {
		app.Get("/recover", h.recoverForm)
		app.Post("/recover", h.requestRecovery)
		app.Get("/recover/reset", h.resetForm)
		app.Post("/recover/reset", h.resetPassword)
	}

	user := h.requireUser
	app.Get("/account", user, h.accountPage)
	app.Post("/account/profile", user, h.saveProfile)
	app.Post("/account/password", user, h.changePassword)
	app.Post("/account/sessions/revoke-others", user, h.revokeOtherSessions)
	app.Post("/account/sessions/:id/revoke", user, h.revokeSession)
	app.Post("/account/delete", user, h.deleteAccount)
	app.Post("/account/email", user, h.changeEmail)
	app.Get("/account/email/verify", user, h.verifyEmailForm)
	app.Post("/account/email/verify", user, h.verifyEmail)
	app.Post("/account/email/resend", user, h.resendEmailCode)
	app.Post("/account/email/remove", user, h.removeEmail)
	app.Get("/account/2fa", user, h.twoFactorPage)
	app.Get("/account/2fa/qr.png", user, h.twoFactorQR)
	app.Post("/account/2fa", user, h.confirmTOTP)
	app.Post("/account/2fa/disable", user, h.disableTOTP)
	app.Post("/account/2fa/recovery-codes", user, h.regenerateRecoveryCodes)
	app.Get("/account/passkeys", user, h.passkeysPage)
	app.Post("/account/passkeys/options", user, h.passkeyRegistrationOptions)
	app.Post("/account/passkeys", user, h.addPasskey)
	app.Post("/account/passkeys/:id/rename", user, h.renamePasskey)
	app.Post("/account/passkeys/:id/remove", user, h.removePasskey)

	admin := h.requireAdmin // after user: anonymous visitors go to the login page
	app.Get("/admin/users", user, admin, h.adminUsers)
	app.Post("/admin/users/:id/disable", user, admin, h.adminAction(disableUser))
	app.Post("/admin/users/:id/enable", user, admin, h.adminAction(enableUser))
	app.Post("/admin/users/:id/clear-throttle", user, admin, h.adminAction(clearThrottle))
	app.Post("/admin/users/:id/revoke-sessions", user, admin, h.adminAction(revokeUserSessions))
	app.Post("/admin/users/:id/role", user, admin, h.adminAction(setRole))
	return nil
}
