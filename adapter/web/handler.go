package web

import (
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gatehouse/gatehouse/templates"
	"github.com/gatehouse/gatehouse/usecase"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/requestid"
)

// Handler serves the HTML site.
type Handler struct {
	registrar Registrar
	auth      Authenticator
	sessions  Sessions
	clock     usecase.Clock
	cfg       Config
	cookies   cookieJar
	lastVisit lastVisitCodec
	log       *slog.Logger
}

// NewHandler returns a Handler that runs the given use cases.
func NewHandler(registrar Registrar, auth Authenticator, sessions Sessions, clock usecase.Clock, cfg Config, log *slog.Logger) *Handler {
	return &Handler{
		registrar: registrar,
		auth:      auth,
		sessions:  sessions,
		clock:     clock,
		cfg:       cfg,
		cookies:   cookieJar{secure: cfg.CookieSecure},
		lastVisit: newLastVisitCodec(cfg.SecretKey),
		log:       log,
	}
}

// Register adds the site's middleware and routes to app.
func (h *Handler) Register(app *fiber.App) error {
	static, err := fs.Sub(templates.FS, "static")
	if err != nil {
		return err
	}
	app.Use(requestid.New())
	app.Use(h.securityHeaders)
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(static),
		MaxAge: 3600,
	}))
	app.Use(h.loadPrincipal)

	app.Get("/", h.requireUser, h.dashboard)
	app.Get("/signup", h.signupForm)
	app.Post("/signup", h.signup)
	app.Get("/login", h.loginForm)
	app.Post("/login", h.login)
	app.Get("/logout", h.logoutForm)
	app.Post("/logout", h.logout)
	return nil
}
