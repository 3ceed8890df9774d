// Package mailworker runs the delivery of the outbox in the background:
// it asks the postman to deliver what is due, again and again, from the
// service's start to its stop.
package mailworker

import (
	"context"
	"log/slog"
	"time"
)

// Deliverer delivers the messages due now and reports how many it took on
// (usecase.Postman).
type Deliverer interface {
	DeliverDue(ctx context.Context) (int, error)
}

// Settings configure the worker.
type Settings struct {
	// PollInterval is the pause after a round that found less than a
	// full batch: a message enqueued by any instance waits at most
	// about this long (plus its delivery).
	PollInterval time.Duration
	// Batch is the size of a full round (usecase.MailPolicy.Batch): a
	// full one is followed at once by another.
	Batch int
}

// Worker calls its Deliverer until stopped.
type Worker struct {
	d      Deliverer
	s      Settings
	log    *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a stopped Worker.
func New(d Deliverer, s Settings, log *slog.Logger) *Worker {
	return &Worker{d: d, s: s, log: log}
}

// Start runs the rounds in the background.
func (w *Worker) Start(context.Context) error {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go w.run(ctx)
	return nil
}

func (w *Worker) run(ctx context.Context) {
	defer close(w.done)
	t := time.NewTimer(0)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := w.d.DeliverDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			// Said once per outage, not once per round.
			w.log.WarnContext(ctx, "mail: cannot read the outbox", "err", err)
			failing = true
		case err == nil && failing:
			w.log.InfoContext(ctx, "mail: outbox readable again")
			failing = false
		}
		if err == nil && n >= w.s.Batch {
			t.Reset(0)
		} else {
			t.Reset(w.s.PollInterval)
		}
	}
}

// Stop ends the rounds and waits for the one under way, at most until ctx
// ends; a message it leaves half done is retried when its lease ends.
func (w *Worker) Stop(ctx context.Context) error {
	if w.cancel == nil {
		return nil
	}
	w.cancel()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
