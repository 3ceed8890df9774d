package mailworker_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/mailworker"
)

// rounds answers DeliverDue with its answers in turn (then 0, nil) and
// records when each round ran.
type rounds struct {
	mu      sync.Mutex
	answers []answer
	at      []time.Time
}

type answer struct {
	n   int
	err error
}

func (r *rounds) DeliverDue(context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at = append(r.at, time.Now())
	if len(r.answers) == 0 {
		return 0, nil
	}
	a := r.answers[0]
	r.answers = r.answers[1:]
	return a.n, a.err
}

func (r *rounds) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.at)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestWorkerPollsAndDrainsFullBatches(t *testing.T) {
	t.Parallel()
	down := errors.New("database is locked")
	r := &rounds{answers: []answer{{10, nil}, {10, nil}, {3, nil}, {0, down}, {0, down}, {0, nil}}}
	var logs lockedBuffer
	w := mailworker.New(r, mailworker.Settings{PollInterval: 100 * time.Millisecond, Batch: 10}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err := w.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for r.count() < 7 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := w.Stop(context.Background()); err != nil {
		t.Fatalf("Stop() error = %v", err)
	}
	r.mu.Lock()
	at := append([]time.Time(nil), r.at...)
	r.mu.Unlock()
	if len(at) < 7 {
		t.Fatalf("%d rounds ran within 5 s, want at least 7 at a 100 ms poll", len(at))
	}
	// Rounds 2 and 3 follow full batches at once; round 4 waits a poll.
	if d := at[2].Sub(at[0]); d > 80*time.Millisecond {
		t.Errorf("the rounds after two full batches came %v after the first, want at once", d)
	}
	if d := at[3].Sub(at[2]); d < 90*time.Millisecond {
		t.Errorf("the round after a partial batch came %v later, want a poll interval (100 ms)", d)
	}
	if n := strings.Count(logs.String(), "cannot read the outbox"); n != 1 {
		t.Errorf("logs %q warn %d times about the outbox, want once per outage", logs.String(), n)
	}
	if !strings.Contains(logs.String(), "outbox readable again") {
		t.Errorf("logs %q do not say the outbox came back", logs.String())
	}
	n := r.count()
	time.Sleep(250 * time.Millisecond)
	if r.count() != n {
		t.Errorf("rounds ran after Stop")
	}
}

func TestWorkerStopWithoutStart(t *testing.T) {
	t.Parallel()
	w := mailworker.New(&rounds{}, mailworker.Settings{PollInterval: time.Second, Batch: 10}, slog.New(slog.DiscardHandler))
	if err := w.Stop(context.Background()); err != nil {
		t.Errorf("Stop() before Start error = %v", err)
	}
}
