// Package testserver boots the whole of gatehouse for a test: the same fx
// module list as cmd/gatehouse, an in-memory SQLite database of its own and
// a random loopback port. The integration tests in test/ and the browser
// tests in test/e2e start their servers with it.
package testserver

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/logging"
	"github.com/gofiber/fiber/v2"
	"go.uber.org/fx"
)

// idleWorkerSweep is how often the server's fasthttp worker pool looks
// for idle workers. Its sweeper goroutine notices a shutdown only between
// two sweeps, and until then holds the whole stopped server in the heap:
// at fasthttp's default of 10 s, a suite that starts a hundred servers in
// parallel keeps most of them, and every start's collection
// (app.ReleaseStartupMemory) has to scan them all.
const idleWorkerSweep = 100 * time.Millisecond

// Config is the default configuration with an in-memory database, a fixed
// secret key and a random loopback port.
func Config(t testing.TB) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config.Load(empty) error = %v", err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.DatabaseURL = "sqlite::memory:"
	cfg.SecretKey = []byte("integration-test-secret-key-32-bytes!")
	cfg.SecretKeyGenerated = false
	cfg.Mail, cfg.MailURLDefaulted = config.Mail{Scheme: "file", Dir: filepath.Join(t.TempDir(), "mail")}, false
	return cfg
}

// Start boots gatehouse with cfg and the extra fx options, logging to logs
// in cfg's log format and at its level (Info by default), and stops it when t ends (after the cleanups registered
// later, which run first). It returns the address the server listens on,
// such as "127.0.0.1:41234".
func Start(t testing.TB, cfg config.Config, logs io.Writer, extra ...fx.Option) string {
	t.Helper()
	var srv *httpserver.Server
	options := append(app.Modules(cfg),
		fx.Decorate(func() *slog.Logger {
			return logging.New(logs, logging.Settings{Format: cfg.LogFormat, Level: cfg.LogLevel})
		}),
		fx.Decorate(func(a *fiber.App) *fiber.App {
			a.Server().MaxIdleWorkerDuration = idleWorkerSweep
			return a
		}),
		fx.NopLogger,
		fx.Populate(&srv),
	)
	options = append(options, extra...)
	a := fx.New(options...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatalf("start gatehouse: %v", err)
	}
	// The cleanup lets go of the app once it has stopped it: testing keeps
	// a finished test's cleanup functions until its parent ends, so with
	// parallel tests every server ever started would stay in the heap,
	// and every later start's collection (app.ReleaseStartupMemory) would
	// scan them all.
	running := a
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		app := running
		running = nil
		if err := app.Stop(ctx); err != nil {
			t.Errorf("stop gatehouse: %v", err)
		}
	})
	return srv.Addr()
}
