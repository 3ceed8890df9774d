package app_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx"
)

// testConfig is the default configuration with an in-memory database of
// its own, a fixed secret key, and the public and metrics listeners on
// random loopback ports.
func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("config.Load(empty) error = %v", err)
	}
	cfg.Addr = "127.0.0.1:0"
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.DatabaseURL = "sqlite::memory:"
	cfg.SecretKey = []byte("app-test-secret-key-of-32-bytes-or-more")
	cfg.SecretKeyGenerated = false
	cfg.Mail, cfg.MailURLDefaulted = config.Mail{Scheme: "file", Dir: filepath.Join(t.TempDir(), "mail")}, false
	return cfg
}

// newApp builds app.Modules(cfg) with extra after it, logging nowhere.
// Options in extra come last, so an fx.WithLogger there wins.
func newApp(t *testing.T, cfg config.Config, extra ...fx.Option) *fx.App {
	t.Helper()
	options := append(app.Modules(cfg),
		fx.Decorate(func(*slog.Logger) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		fx.NopLogger,
	)
	a := fx.New(append(options, extra...)...)
	if err := a.Err(); err != nil {
		t.Fatalf("build app.Modules: %v", err)
	}
	return a
}

// startApp builds and starts app.Modules(cfg) with extra, and stops it
// when t ends.
func startApp(t *testing.T, cfg config.Config, extra ...fx.Option) {
	t.Helper()
	a := newApp(t, cfg, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatalf("start app.Modules: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Stop(ctx); err != nil {
			t.Errorf("stop app.Modules: %v", err)
		}
	})
}
