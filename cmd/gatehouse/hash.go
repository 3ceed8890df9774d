package main

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
	"github.com/gatehouse/gatehouse/domain"
)

// Calibration limits.
const (
	// calibrateSamples hashes are timed per candidate; the median counts.
	calibrateSamples = 3
	// calibrateSteps bounds the candidates tried.
	calibrateSteps = 8
	// calibrateMaxMemoryKiB caps the memory cost at 256 MiB; beyond it the
	// passes go up instead, since every concurrent login holds that much.
	calibrateMaxMemoryKiB = 256 << 10
	// calibrateTolerance is how close to the target is close enough.
	calibrateTolerance = 0.10
)

// hashCalibrate runs "gatehouse hash calibrate".
func hashCalibrate(c *cli, args []string) error {
	cl := c.command("hash calibrate", "[--target 250ms] [--threads N]", `
Times argon2id on this machine and prints the ARGON2_MEMORY_KIB, ARGON2_TIME
and ARGON2_THREADS settings under which one hash takes about the target.
It starts from OWASP's m=19456 KiB, t=2 and never goes below it; it raises
the memory first (up to 256 MiB), then the passes. Each candidate is timed
a few times and the median counts. The settings go to standard output, in
the form of an environment file; the measurements go to standard error.`)
	target := cl.fs.Duration("target", 250*time.Millisecond, "the time one hash should take")
	threads := cl.fs.Uint("threads", 1, "the argon2id parallelism `N` (ARGON2_THREADS)")
	if _, err := cl.parse(args, 0); err != nil {
		return err
	}
	if *target <= 0 || *target > time.Minute {
		return cl.fail("hash calibrate: --target must be above 0 and at most 1m, got %s", *target)
	}
	if *threads < 1 || *threads > 255 {
		return cl.fail("hash calibrate: --threads must be 1 to 255, got %d", *threads)
	}
	fmt.Fprintf(c.stderr, "timing argon2id, %d samples each, target %s:\n", calibrateSamples, *target)
	best, took, err := calibrate(context.Background(), *target, uint8(*threads), func(p argon2id.Params, d time.Duration) {
		fmt.Fprintf(c.stderr, "  %-24s %s\n", p, d.Round(100*time.Microsecond))
	})
	if err != nil {
		return err
	}
	if took > *target && best == baseline(uint8(*threads)) {
		fmt.Fprintf(c.stderr, "OWASP's minimum already takes longer than %s here; do not go below it.\n", *target)
	}
	fmt.Fprintf(c.stderr, "every concurrent hash holds %d MiB; the server runs up to %d at once (GOMAXPROCS).\n",
		best.MemoryKiB>>10, runtime.GOMAXPROCS(0))
	fmt.Fprintf(c.stdout, "# argon2id: one hash takes about %s on this machine (median of %d, target %s)\n",
		took.Round(time.Millisecond), calibrateSamples, *target)
	fmt.Fprintf(c.stdout, "ARGON2_MEMORY_KIB=%d\nARGON2_TIME=%d\nARGON2_THREADS=%d\n", best.MemoryKiB, best.Time, best.Threads)
	return nil
}

// baseline is OWASP's first recommendation with threads lanes.
func baseline(threads uint8) argon2id.Params {
	p := argon2id.DefaultParams()
	p.Threads = threads
	return p
}

// calibrate searches for the parameters under which one hash takes about
// target, reporting each candidate it times. A hash's time grows about
// linearly with memory × passes, so each step scales that cost by target
// over the time measured; the result is the candidate closest to target
// that is not below the baseline.
func calibrate(ctx context.Context, target time.Duration, threads uint8, report func(argon2id.Params, time.Duration)) (argon2id.Params, time.Duration, error) {
	p := baseline(threads)
	base := cost(p)
	best, bestTook := p, time.Duration(0)
	tried := map[argon2id.Params]bool{}
	for range calibrateSteps {
		took, err := timeHash(ctx, p)
		if err != nil {
			return argon2id.Params{}, 0, err
		}
		report(p, took)
		tried[p] = true
		if bestTook == 0 || absDiff(took, target) < absDiff(bestTook, target) {
			best, bestTook = p, took
		}
		ratio := float64(target) / float64(took)
		if ratio > 1-calibrateTolerance && ratio < 1+calibrateTolerance {
			break
		}
		next := withCost(max(uint64(float64(cost(p))*ratio), base), threads)
		if tried[next] {
			break
		}
		p = next
	}
	return best, bestTook, nil
}

// cost is memory × passes, in KiB.
func cost(p argon2id.Params) uint64 { return uint64(p.MemoryKiB) * uint64(p.Time) }

// withCost returns parameters of about cost c: two passes over c/2 KiB
// (rounded to whole MiB, at least the baseline's) while that fits under
// the memory cap, else the cap and as many passes as it takes.
func withCost(c uint64, threads uint8) argon2id.Params {
	base := baseline(threads)
	if c <= cost(base) {
		return base
	}
	if m := c / uint64(base.Time); m <= calibrateMaxMemoryKiB {
		m = max((m+512)>>10<<10, uint64(base.MemoryKiB))
		return argon2id.Params{MemoryKiB: uint32(m), Time: base.Time, Threads: threads}
	}
	t := (c + calibrateMaxMemoryKiB/2) / calibrateMaxMemoryKiB
	return argon2id.Params{MemoryKiB: calibrateMaxMemoryKiB, Time: uint32(max(t, uint64(base.Time))), Threads: threads}
}

// timeHash returns the median time of calibrateSamples hashes with p.
func timeHash(ctx context.Context, p argon2id.Params) (time.Duration, error) {
	h, err := argon2id.New(p)
	if err != nil {
		return 0, err
	}
	pw := domain.NormalizePassword("correct horse battery staple")
	times := make([]time.Duration, calibrateSamples)
	for i := range times {
		start := time.Now()
		if _, err := h.Hash(ctx, pw); err != nil {
			return 0, err
		}
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// absDiff returns |a - b|.
func absDiff(a, b time.Duration) time.Duration {
	if a > b {
		return a - b
	}
	return b - a
}
