// Package logging builds the service's structured logger.
package logging

import (
	"io"
	"log/slog"
	"os"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
)

// Settings choose the logger's format and level.
type Settings struct {
	// Format is "json" for one JSON object a line; anything else is
	// slog's key=value text.
	Format string
	// Level is the least severe level written.
	Level slog.Level
}

// New returns a logger on w in the format and at the level s name.
func New(w io.Writer, s Settings) *slog.Logger {
	opts := &slog.HandlerOptions{Level: s.Level}
	if s.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Module provides the *slog.Logger every area logs to (standard error),
// as LOG_FORMAT and LOG_LEVEL say, and routes fx's own events through it,
// at Debug level for the routine ones. fx.WithLogger sits outside the
// fx.Module on purpose: inside, it would cover only this module's events,
// and fx would print the rest as "[Fx] ..." text, which breaks JSON logs.
var Module = fx.Options(
	fx.Module("logging",
		fx.Provide(func(c config.Config) *slog.Logger {
			return New(os.Stderr, Settings{Format: c.LogFormat, Level: c.LogLevel})
		}),
	),
	fx.WithLogger(func(log *slog.Logger) fxevent.Logger {
		l := &fxevent.SlogLogger{Logger: log}
		l.UseLogLevel(slog.LevelDebug)
		return l
	}),
)
