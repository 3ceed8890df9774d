// Package logging builds the service's structured logger.
package logging

import (
	"io"
	"log/slog"
	"os"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
)

// New returns a text logger on w at Info level.
func New(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// Module provides the *slog.Logger every area logs to (standard error) and
// routes fx's own events through it, at Debug level for the routine ones.
var Module = fx.Module("logging",
	fx.Provide(func() *slog.Logger { return New(os.Stderr) }),
	fx.WithLogger(func(log *slog.Logger) fxevent.Logger {
		l := &fxevent.SlogLogger{Logger: log}
		l.UseLogLevel(slog.LevelDebug)
		return l
	}),
)
