package main

import (
	"context"
	"errors"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx"
)

// serveCommand runs "gatehouse serve": the service, until a signal asks
// it to stop.
func serveCommand(c *cli, args []string) error {
	cl := c.command("serve", "", `
Serves the login site over HTTP on PORT until SIGINT or SIGTERM, after
applying pending database migrations. This is what gatehouse does without
a command.`)
	if _, err := cl.parse(args, 0); err != nil {
		return err
	}
	cfg, err := c.loadConfig()
	if err != nil {
		return err
	}
	return serve(cfg)
}

// serve runs the whole service for cfg until a signal asks it to stop.
func serve(cfg config.Config) error {
	a := fx.New(app.Modules(cfg)...)
	if err := a.Err(); err != nil {
		return err
	}
	// SIGINT or SIGTERM: the server stops accepting, requests in flight
	// get SHUTDOWN_TIMEOUT to finish, then the database closes. fx catches
	// the signals only from the first Wait on, so this comes before Start:
	// the server listens before the last start hook returns, and a signal
	// in between would otherwise kill the process instead of stopping it.
	stop := a.Wait()
	startCtx, cancel := context.WithTimeout(context.Background(), a.StartTimeout())
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		return err
	}
	<-stop
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
