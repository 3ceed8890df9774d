// Package logging builds the service's structured logger.
package logging

import (
	"context"
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
// as LOG_FORMAT and LOG_LEVEL say, through an Output: the request log's
// lines (logged with a context from Deferred) wait up to FlushDelay to
// be written together, every other line is written at once; a clean stop
// writes everything, and routes fx's own events through it,
// at Debug level for the routine ones. fx.WithLogger sits outside the
// fx.Module on purpose: inside, it would cover only this module's events,
// and fx would print the rest as "[Fx] ..." text, which breaks JSON logs.
var Module = fx.Options(
	fx.Module("logging",
		fx.Provide(func(lc fx.Lifecycle, c config.Config) *slog.Logger {
			return newServiceLogger(lc, c, os.Stderr)
		}),
	),
	fx.WithLogger(func(log *slog.Logger) fxevent.Logger {
		l := &fxevent.SlogLogger{Logger: log}
		l.UseLogLevel(slog.LevelDebug)
		return l
	}),
)

// deferKey marks a context whose log lines may wait in an Output.
type deferKey struct{}

// Deferred returns ctx marked so that a logger from NewDeferring may
// buffer the Info (and less severe) lines logged with it for up to the
// Output's delay: for the request log, a line a request. Other loggers
// ignore the mark.
func Deferred(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferKey{}, true)
}

// NewDeferring returns a logger like New on out, which writes every line
// at once (after the lines waiting before it) except Info and less
// severe lines logged with a context from Deferred, which wait in out.
func NewDeferring(out *Output, s Settings) *slog.Logger {
	return slog.New(deferringHandler{inner: New(out, s).Handler(), out: out})
}

// deferringHandler writes every record into its Output's buffer, then
// has the Output write it at once unless the record may wait.
type deferringHandler struct {
	inner slog.Handler
	out   *Output
}

func (h deferringHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h deferringHandler) Handle(ctx context.Context, r slog.Record) error {
	if err := h.inner.Handle(ctx, r); err != nil {
		return err
	}
	if r.Level <= slog.LevelInfo && ctx != nil && ctx.Value(deferKey{}) != nil {
		return nil
	}
	return h.out.Flush()
}

func (h deferringHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return deferringHandler{inner: h.inner.WithAttrs(as), out: h.out}
}

func (h deferringHandler) WithGroup(name string) slog.Handler {
	return deferringHandler{inner: h.inner.WithGroup(name), out: h.out}
}

// newServiceLogger is the Module's logger on w, through an Output that
// the lifecycle closes when it stops. Appended as the logger is built,
// before anything that logs, the hook stops last: what the rest logged
// while stopping is written, and anything later goes straight through.
func newServiceLogger(lc fx.Lifecycle, c config.Config, w io.Writer) *slog.Logger {
	out := NewOutput(w, FlushDelay)
	lc.Append(fx.Hook{OnStop: func(context.Context) error { return out.Close() }})
	return NewDeferring(out, Settings{Format: c.LogFormat, Level: c.LogLevel})
}
