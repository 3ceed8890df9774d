package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/metrics"
	"github.com/gatehouse/gatehouse/test/testserver"
	"go.uber.org/fx"
)

// TestSoakSmoke runs the soak for 20 seconds against an in-process
// gatehouse, so that the command cannot rot: every request gets its
// expected answer and the report reads the server's metrics.
func TestSoakSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 20 seconds")
	}
	cfg := testserver.Config(t)
	cfg.MetricsAddr = "127.0.0.1:0"
	cfg.SignupMaxPerIPPerHour = 1_000_000
	cfg.Argon2MemoryKiB, cfg.Argon2Time = 1024, 1
	var ms *metrics.Server
	addr := testserver.Start(t, cfg, io.Discard, fx.Populate(&ms))
	var out bytes.Buffer
	r, err := run(context.Background(), soakConfig(addr, ms.Addr()), &out)
	t.Logf("soak report:\n%s", out.String())
	if err != nil {
		t.Fatal(err)
	}
	if r.requests == 0 || r.errors != 0 {
		t.Errorf("soak: %d requests, %d errors; want some requests and no errors", r.requests, r.errors)
	}
	last := r.samples[len(r.samples)-1]
	if last.rssBytes <= 0 || last.goroutines <= 0 {
		t.Errorf("soak report has RSS %v and goroutines %v, want both read from the metrics", last.rssBytes, last.goroutines)
	}
}

func soakConfig(addr, metricsAddr string) config {
	return config{
		url: "http://" + addr, metrics: "http://" + metricsAddr,
		duration: 20 * time.Second, rate: 50, workers: 4, every: 5 * time.Second,
	}
}
