package main

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

func TestSplitRounds(t *testing.T) {
	for _, tc := range []struct {
		d       time.Duration
		want, n int
		each    time.Duration
	}{
		{10 * time.Second, 5, 5, 2 * time.Second},
		{10 * time.Second, 3, 3, 3 * time.Second}, // whole seconds: 9 s of 10
		{time.Second, 5, 1, time.Second},
		{2500 * time.Millisecond, 5, 2, time.Second},
		{10 * time.Second, 1, 1, 10 * time.Second},
	} {
		n, each := splitRounds(tc.d, tc.want)
		if n != tc.n || each != tc.each {
			t.Errorf("splitRounds(%s, %d) = %d, %s; want %d, %s", tc.d, tc.want, n, each, tc.n, tc.each)
		}
	}
}

func TestMergeAddsRoundsUp(t *testing.T) {
	m := merge([]result{
		{Requests: 100, DurationUS: 1e6, P50US: 10, P99US: 90, Read: 1, Status: map[string]int64{"200": 99, "503": 1}},
		{Requests: 300, DurationUS: 1e6, P50US: 30, P99US: 70, Status: map[string]int64{"200": 300}},
		{Requests: 200, DurationUS: 1e6, P50US: 20, P99US: 80, Timeouts: 2, Status: map[string]int64{"200": 200}},
	})
	if m.Rate() != 200 {
		t.Errorf("rate = %v, want 200/s (600 requests in 3 s)", m.Rate())
	}
	if m.P50US != 20 || m.P99US != 80 {
		t.Errorf("p50, p99 = %v, %v; want the medians 20, 80", m.P50US, m.P99US)
	}
	if m.Count(200) != 599 || m.Count(503) != 1 || m.Other(200, 503) != 3 {
		t.Errorf("statuses %s, other %d; want 200×599 503×1 and 3 socket errors", m.Statuses(), m.Other(200, 503))
	}
}

func TestWaitIdle(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := cpuTicks(os.Getpid()); err != nil {
		t.Fatalf("cpuTicks(self) error = %v", err)
	}
	// A busy process is not idle until its work ends. Three of waitIdle's
	// 100 ms windows of spinning are enough to show it waits them out; a
	// longer spin would only take a core from the rest of go test ./...
	const busy = 300 * time.Millisecond
	var stopped atomic.Bool
	go func() {
		for !stopped.Load() { // spin: the point is to burn CPU
		}
	}()
	time.AfterFunc(busy, func() { stopped.Store(true) })
	start := time.Now()
	if err := waitIdle(context.Background(), os.Getpid()); err != nil {
		t.Fatalf("waitIdle() error = %v", err)
	}
	if took := time.Since(start); took < busy {
		t.Errorf("waitIdle returned after %s while this process was spinning for %s", took, busy)
	}
}
