// Package httpserver builds the Fiber app and runs it: the listener opens
// when the fx app starts and closes, after in-flight requests finish, when
// it stops.
package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/adapter/httpx/api"
	"github.com/gatehouse/gatehouse/adapter/httpx/web"
	"github.com/gofiber/fiber/v2"
)

// Settings configure the HTTP server.
type Settings struct {
	// Addr is the TCP address to listen on, such as ":5000".
	Addr string
	// BodyLimit is the largest request body accepted, in bytes.
	BodyLimit int
}

// Server is the running HTTP server.
type Server struct {
	app      *fiber.App
	settings Settings
	log      *slog.Logger
	ln       net.Listener
}

// NewApp builds the Fiber app: the framing check, the health probes, the
// request log, the JSON API mounted at /api and the web adapter's routes,
// in that order.
// The web adapter parses its templates as it registers, so a broken
// template fails the start.
func NewApp(s Settings, site *web.Handler, jsonAPI *api.Handler, ready ReadinessChecker, obs RequestObserver, log *slog.Logger) (*fiber.App, error) {
	app := fiber.New(fiber.Config{
		ErrorHandler:   httpx.ErrorHandler(site.ErrorHandler, jsonAPI.ErrorHandler),
		BodyLimit:      s.BodyLimit,
		ReadBufferSize: 8 << 10, // request line and headers, as nginx's default
		// Only urlencoded forms and JSON are read, both within BodyLimit:
		// a multipart body is refused by the route (415), not pre-parsed
		// by the server, which on a broken one forgets the request's path.
		DisablePreParseMultipartForm: true,

		Immutable:             true, // handlers may keep request strings
		DisableStartupMessage: true,
		ReadTimeout:           10 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
	})
	// The framing check before anything, since no handler may act on an
	// ambiguous body. Then the probes: no other middleware, no log line.
	// Then the request log, around everything else.
	app.Use(refuseAmbiguousFraming)
	registerHealth(app, ready, log)
	app.Use((&requestLog{log: log, obs: obs}).handle)
	// The API goes next. Fiber puts a mounted app's routes where the mount
	// is in the stack, so every /api request is answered there (the API's
	// app ends in a catch-all) before the site's middleware (cookies, CSRF,
	// form checks, HTML error pages) could see it; and Fiber's error
	// handler picks the API's for /api paths by prefix, also for what the
	// server refuses before routing (a body over BodyLimit).
	app.Mount(httpx.APIPrefix, jsonAPI.App())
	if err := site.Register(app); err != nil {
		return nil, fmt.Errorf("httpserver: register routes: %w", err)
	}
	return app, nil
}

// NewServer returns a Server for app; Start makes it listen.
func NewServer(app *fiber.App, s Settings, log *slog.Logger) *Server {
	return &Server{app: app, settings: s, log: log}
}

// Start binds the address, so a taken port fails the start with a clear
// error, and serves in the background.
func (s *Server) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.settings.Addr)
	if err != nil {
		return fmt.Errorf("httpserver: listen on %s: %w", s.settings.Addr, err)
	}
	s.ln = ln
	go func() {
		if err := s.app.Listener(ln); err != nil && !errors.Is(err, net.ErrClosed) {
			s.log.Error("httpserver: serve", "err", err)
		}
	}()
	s.log.InfoContext(ctx, "listening", "addr", ln.Addr().String())
	return nil
}

// Stop stops accepting connections and waits for in-flight requests until
// ctx ends.
func (s *Server) Stop(ctx context.Context) error {
	if s.ln == nil {
		return nil
	}
	return s.app.ShutdownWithContext(ctx)
}

// Addr is the address the server listens on, once started ("" before).
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}
