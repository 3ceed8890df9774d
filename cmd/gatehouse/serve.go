package main

import (
	"context"
	"errors"
	"os"
	"runtime"

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
	startCtx, cancel := context.WithTimeout(context.Background(), a.StartTimeout())
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		return err
	}
	spareProcsForPages(os.LookupEnv)
	// SIGINT or SIGTERM: the server stops accepting, requests in flight
	// get SHUTDOWN_TIMEOUT to finish, then the database closes.
	<-a.Wait()
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// spareProcsForPages doubles GOMAXPROCS, unless the GOMAXPROCS variable
// sets it, once the hashing pool has sized itself (one slot per core).
// Hashes run on lowered-priority threads (argon2id.HashingNice), but the
// kernel can only prefer the threads serving pages if the Go scheduler
// has a P for them: with GOMAXPROCS equal to the cores, a login flood
// holds every P with hashing and a page waits for the scheduler to
// preempt one. With a spare P per hashing slot, pages keep running and
// the kernel shares the cores by priority; without a flood nothing
// changes, since idle Ps cost nothing. It returns GOMAXPROCS before and
// after.
func spareProcsForPages(lookup func(string) (string, bool)) (before, after int) {
	before = runtime.GOMAXPROCS(0)
	if _, set := lookup("GOMAXPROCS"); set {
		return before, before
	}
	runtime.GOMAXPROCS(2 * before)
	return before, 2 * before
}
