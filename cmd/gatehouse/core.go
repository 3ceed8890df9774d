package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/dig"
	"go.uber.org/fx"
)

// stopTimeout bounds how long closing the core may take.
const stopTimeout = 15 * time.Second

// loadConfig reads the settings from the environment; an invalid one is a
// usage error.
func (c *cli) loadConfig() (config.Config, error) {
	cfg, err := config.Load(c.lookup)
	if err != nil {
		return config.Config{}, &usageError{msg: err.Error()}
	}
	return cfg, nil
}

// withCore builds the service's core for cfg (settings, database, stores,
// hashing and use cases: no web site, no background work) with opts (an
// fx.Populate of what the command needs), starts it, which applies pending
// migrations, and runs do with a context that ends at SIGINT or SIGTERM.
// It stops the core whatever do returns. Only warnings and errors are
// logged, to the command's standard error.
func (c *cli) withCore(cfg config.Config, do func(ctx context.Context) error, opts ...fx.Option) error {
	// A command signs no cookies: a generated SECRET_KEY is nothing to
	// warn about here.
	cfg.SecretKeyGenerated = false
	log := slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	options := append(app.Core(cfg),
		fx.NopLogger,
		fx.Decorate(func(*slog.Logger) *slog.Logger { return log }),
	)
	a := fx.New(append(options, opts...)...)
	if err := a.Err(); err != nil {
		// fx wraps the failing constructor's error in a description of the
		// graph; the operator needs only the error itself.
		return dig.RootCause(err)
	}
	startCtx, cancel := context.WithTimeout(context.Background(), a.StartTimeout())
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	runErr := do(ctx)
	stop()
	stopCtx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	if stopErr := a.Stop(stopCtx); stopErr != nil {
		return errors.Join(runErr, stopErr)
	}
	return runErr
}
