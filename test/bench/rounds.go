package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The targets compare loads measured one after the other on a machine
// that other work shares, where a few seconds can run 20% slower than
// the next few. A load and the ceiling it is compared with are therefore
// measured in alternating rounds, each taking its turn in every stretch
// of the run, and the rounds of one load are added up.

// splitRounds divides d into at most want rounds of whole seconds (what
// wrk counts in), at least one.
func splitRounds(d time.Duration, want int) (n int, each time.Duration) {
	n = max(1, min(want, int(d/time.Second)))
	each = (d / time.Duration(n)).Truncate(time.Second)
	return n, max(each, time.Second)
}

// turn is one load of a comparison: run measures it for a duration.
type turn struct {
	name string
	run  func(time.Duration) (result, error)
}

// takeTurns measures turns in n rounds of each, every turn once a round;
// even rounds go in the given order and odd rounds in the reverse one, so
// no load always follows the same one. Before the rounds each turn runs
// once for a second, unmeasured (connections, caches and pools fill), and
// settle runs before every turn. It returns each turn's rounds merged.
func takeTurns(n int, each time.Duration, settle func() error, say func(string, ...any), turns []turn) ([]result, error) {
	for _, t := range turns {
		if err := settle(); err != nil {
			return nil, err
		}
		if _, err := t.run(time.Second); err != nil {
			return nil, fmt.Errorf("warm-up %s: %w", t.name, err)
		}
	}
	rounds := make([][]result, len(turns))
	for round := range n {
		order := make([]int, len(turns))
		for i := range order {
			order[i] = i
		}
		if round%2 == 1 {
			slices.Reverse(order)
		}
		line := fmt.Sprintf("  round %d:", round+1)
		for _, i := range order {
			if err := settle(); err != nil {
				return nil, err
			}
			r, err := turns[i].run(each)
			if err != nil {
				return nil, err
			}
			rounds[i] = append(rounds[i], r)
			line += fmt.Sprintf(" (%s) %s/s", turns[i].name, num(r.Rate()))
		}
		say("%s", line)
	}
	merged := make([]result, len(turns))
	for i := range turns {
		merged[i] = merge(rounds[i])
	}
	return merged, nil
}

// merge adds up the rounds of one load: requests, time, errors and
// statuses are summed; p50 and p99 are the medians of the rounds'
// (wrk reports percentiles, not the latencies behind them).
func merge(rounds []result) result {
	var m result
	m.Status = map[string]int64{}
	var p50, p99 []float64
	for _, r := range rounds {
		m.Requests += r.Requests
		m.DurationUS += r.DurationUS
		m.Connect += r.Connect
		m.Read += r.Read
		m.Write += r.Write
		m.Timeouts += r.Timeouts
		for k, v := range r.Status {
			m.Status[k] += v
		}
		p50 = append(p50, r.P50US)
		p99 = append(p99, r.P99US)
	}
	m.P50US, m.P99US = median(p50), median(p99)
	return m
}

// waitIdle returns once process pid has used no CPU for a tenth of a
// second (less than one 10 ms tick): when wrk ends a login round, the logins
// it had sent are still queued in the server and would otherwise be
// hashed during the next round, on the next round's time. It gives up
// after 30 s.
func waitIdle(ctx context.Context, pid int) error {
	const window = 100 * time.Millisecond
	deadline := time.Now().Add(30 * time.Second)
	prev, err := cpuTicks(pid)
	if err != nil {
		return err
	}
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(window):
		}
		now, err := cpuTicks(pid)
		if err != nil {
			return err
		}
		// Linux counts CPU time in ticks of 10 ms (USER_HZ 100); a
		// server hashing queued logins uses about 20 per window.
		if now == prev {
			return nil
		}
		prev = now
	}
	return fmt.Errorf("process %d still busy 30 s after its load ended", pid)
}

// cpuTicks is the user plus system CPU time process pid has used, in
// clock ticks, from /proc/PID/stat.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; the fields after its
	// closing parenthesis start with field 3, state.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("unexpected /proc/%d/stat: %q", pid, b)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("unexpected /proc/%d/stat: %q", pid, b)
	}
	return utime + stime, nil
}
