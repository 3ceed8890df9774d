// Package testserver boots the whole of gatehouse for a test: the same fx
// module list as cmd/gatehouse, an in-memory SQLite database of its own and
// a random loopback port. The integration tests in test/ and the browser
// tests in test/e2e start their servers with it.
package testserver

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/httpserver"
	"github.com/gatehouse/gatehouse/infrastructure/logging"
	"go.uber.org/fx"
)

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
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			t.Errorf("stop gatehouse: %v", err)
		}
	})
	return srv.Addr()
}
