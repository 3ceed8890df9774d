// Package housekeeping runs background maintenance: purging expired
// sessions and stale throttling state.
package housekeeping

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Purger deletes expired records and reports how many.
type Purger interface {
	Purge(ctx context.Context) (int64, error)
}

// Settings configure the background work.
type Settings struct {
	// PurgeInterval is the time between two purges of expired sessions.
	PurgeInterval time.Duration
}

// Loop runs its Purgers every interval until stopped.
type Loop struct {
	purgers  []Purger
	interval time.Duration
	log      *slog.Logger
	cancel   context.CancelFunc
	done     chan struct{}
}

// NewLoop returns a stopped Loop over purgers.
func NewLoop(purgers []Purger, s Settings, log *slog.Logger) *Loop {
	return &Loop{purgers: purgers, interval: s.PurgeInterval, log: log}
}

// Start runs every purger once now and then every interval, in the
// background.
func (l *Loop) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel, l.done = cancel, make(chan struct{})
	go func() {
		defer close(l.done)
		t := time.NewTicker(l.interval)
		defer t.Stop()
		for {
			l.purge(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// Stop ends the loop and waits for a purge under way.
func (l *Loop) Stop(ctx context.Context) error {
	if l.cancel == nil {
		return nil
	}
	l.cancel()
	select {
	case <-l.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Loop) purge(ctx context.Context) {
	for _, p := range l.purgers {
		n, err := p.Purge(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			l.log.WarnContext(ctx, "housekeeping: purge", "purger", fmt.Sprintf("%T", p), "err", err)
		case n > 0:
			l.log.InfoContext(ctx, "housekeeping: purged", "purger", fmt.Sprintf("%T", p), "count", n)
		}
	}
}
