package housekeeping

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type countingPurger struct {
	calls atomic.Int32
	err   error
}

func (p *countingPurger) Purge(context.Context) (int64, error) {
	p.calls.Add(1)
	return 1, p.err
}

func TestLoopPurgesAtStartAndOnEveryTick(t *testing.T) {
	p, q := &countingPurger{}, &countingPurger{}
	l := NewLoop([]Purger{p, q}, Settings{PurgeInterval: 10 * time.Millisecond}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.calls.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatalf("Stop() error = %v", err)
	}
	n := p.calls.Load()
	if n < 3 || q.calls.Load() < 3 {
		t.Fatalf("purges after 5s = %d and %d, want at least 3 of each", n, q.calls.Load())
	}
	time.Sleep(30 * time.Millisecond)
	if after := p.calls.Load(); after != n {
		t.Errorf("purges went on after Stop: %d then %d", n, after)
	}
}

func TestLoopLogsFailures(t *testing.T) {
	var logs strings.Builder
	p := &countingPurger{err: errors.New("disk on fire")}
	l := NewLoop([]Purger{p}, Settings{PurgeInterval: time.Hour}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.calls.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := l.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("log = %q, want the purge failure", logs.String())
	}
}
