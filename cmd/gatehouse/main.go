// Command gatehouse is the login service. With no arguments, or "serve",
// it serves HTTP until SIGINT or SIGTERM; its settings come from the
// environment (see README.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2 // bad command line or configuration
)

const usage = `Usage: gatehouse [serve]

Runs the gatehouse login service. Settings come from environment variables
(PORT, DATABASE_URL, SECRET_KEY, COOKIE_SECURE, SESSION_IDLE_TIMEOUT,
SESSION_ABSOLUTE_TIMEOUT, REMEMBER_ME_DURATION, LAST_VISIT_MAX_AGE,
ARGON2_MEMORY_KIB, ARGON2_TIME, ARGON2_THREADS); README.md lists them.
`

func main() {
	os.Exit(run(os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr))
}

func run(args []string, lookup func(string) (string, bool), stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0 || (len(args) == 1 && args[0] == "serve"):
	case len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n%s", args, usage)
		return exitUsage
	}
	cfg, err := config.Load(lookup)
	if err != nil {
		fmt.Fprintf(stderr, "gatehouse: %v\n", err)
		return exitUsage
	}
	if err := serve(cfg); err != nil {
		fmt.Fprintf(stderr, "gatehouse: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// serve runs the service until a signal asks it to stop.
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
	<-a.Wait()
	stopCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
