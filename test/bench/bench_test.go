package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBenchmarkSmoke runs the whole benchmark at a toy scale (two seconds
// per load in two rounds, a hundred accounts, 3,000 for (h)) so that it
// cannot rot: every row is measured, every load got the answers it must
// get, the rounds are taken in turns and added up, and the table prints.
// Every page load's answers must be 200s whose body shows a username (wrk
// counts any other as status 0), and before the loads run() has sent
// each request of (a) with and without the request log, of the floor (b')
// and of GET /api/v1/me (m) once and checked that it answers 200 with
// that very account's username.
// The targets themselves are not checked here: a two-second load on a
// shared machine says nothing about them (run the full benchmark,
// see docs/performance.md). BENCH_REQUIRED=1 (CI) fails instead of skipping when
// wrk is missing.
func TestBenchmarkSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the benchmark smoke test takes about a minute")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		if os.Getenv("BENCH_REQUIRED") == "1" {
			t.Fatal("wrk is not installed (apt-get install wrk) and BENCH_REQUIRED=1")
		}
		t.Skip("wrk is not installed (apt-get install wrk): the benchmark needs it")
	}
	flaskDir := filepath.Join("..", "..", "..", "shared", "peers", "flask_seed")
	cfg := config{
		duration:    2 * time.Second,
		rounds:      2, // so the alternating rounds are run and added up
		users:       3000,
		rotate:      100,
		connections: 8,
		loginConns:  4,
		flood:       50,
		coldStarts:  2,
		flaskDir:    flaskDir,
		progress:    io.Discard,
		checkBodies: true, // every 200 of a page load must show a username
	}
	if testing.Verbose() {
		cfg.progress = os.Stderr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := run(ctx, cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}

	type loadCheck struct {
		name  string
		res   result
		codes []int // every answer must have one of these
	}
	loads := []loadCheck{
		{"(a) GET /", rep.dashboard, []int{200}},
		{"(a) GET / with LOG_LEVEL=warn", rep.quiet, []int{200}},
		{"(b) bare Fiber", rep.bare, []int{200}},
		{"(b') the floor", rep.floor, []int{200}},
		{"(m) GET /api/v1/me", rep.me, []int{200}},
		{"(c) POST /login", rep.login, []int{303}},
		{"(e) GET / under the flood", rep.underFlood, []int{200}},
		{"(e) the flood", rep.flood, []int{303, 503}},
		{"(h) GET /", rep.big.dashboard, []int{200}},
		{"(h) POST /login", rep.big.login, []int{303}},
	}
	if rep.flaskSkip == "" {
		loads = append(loads,
			loadCheck{"(i) seed app GET /", rep.flask.dashboard, []int{200}},
			loadCheck{"(i) seed app POST /login", rep.flask.login, []int{302}})
	} else {
		t.Logf("(i) skipped: %s", rep.flaskSkip)
	}
	for _, l := range loads {
		if l.res.Requests == 0 || l.res.Rate() <= 0 || l.res.P99() <= 0 {
			t.Errorf("%s: %d requests at %.1f/s, p99 %s; want some", l.name, l.res.Requests, l.res.Rate(), l.res.P99())
		}
		if n := l.res.Other(l.codes...); n != 0 {
			t.Errorf("%s: %d answers other than %v (%s)", l.name, n, l.codes, l.res.Statuses())
		}
	}
	if rep.hashes <= 0 {
		t.Errorf("(d) raw argon2id: %.1f hashes/s, want some", rep.hashes)
	}
	if rep.idle <= 0 || rep.peak < rep.idle {
		t.Errorf("(f) memory idle %d, peak %d bytes: want 0 < idle <= peak", rep.idle, rep.peak)
	}
	if len(rep.cold) != cfg.coldStarts || median(rep.cold) <= 0 {
		t.Errorf("(g) cold starts %v, want %d measured", rep.cold, cfg.coldStarts)
	}
	if rep.pageBytes < 1000 {
		t.Errorf("dashboard page is %d bytes; the ceiling's page copies it, so it should be a real page", rep.pageBytes)
	}

	var table strings.Builder
	rep.print(&table)
	for _, want := range []string{"(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(b')", "(m)", "LOG_LEVEL=warn", "targets", "(a) >= 70% of (b')", "(m) GET /api/v1/me >= 85% of (b')", "request log costs <= 10% of (a)"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	t.Logf("\n%s", table.String())
}
