package main

import (
	"regexp"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/argon2id"
)

func TestHashCalibrate(t *testing.T) {
	// Serial: it times argon2id on this machine, so it runs alone, before
	// the parallel tests start.
	r := gatehouse(t, nil, "", "hash", "calibrate", "--target", "5ms")
	if r.code != exitOK {
		t.Fatalf("gatehouse hash calibrate --target 5ms = %d, stderr %q", r.code, r.stderr)
	}
	// A 5 ms target is below OWASP's minimum on any machine: the answer is
	// the minimum, never less.
	want := regexp.MustCompile(`(?m)^# argon2id: one hash takes about \S+ .*\nARGON2_MEMORY_KIB=19456\nARGON2_TIME=2\nARGON2_THREADS=1\n$`)
	if !want.MatchString(r.stdout) {
		t.Errorf("gatehouse hash calibrate --target 5ms stdout = %q, want the OWASP minimum as ARGON2_ settings", r.stdout)
	}
	if !regexp.MustCompile(`m=19456,t=2,p=1 +\d`).MatchString(r.stderr) {
		t.Errorf("gatehouse hash calibrate stderr = %q, want the measurement", r.stderr)
	}
	r = gatehouse(t, nil, "", "hash", "calibrate", "--target", "5ms", "--threads", "2")
	if !regexp.MustCompile(`(?m)^ARGON2_THREADS=2$`).MatchString(r.stdout) {
		t.Errorf("gatehouse hash calibrate --threads 2 stdout = %q, want ARGON2_THREADS=2", r.stdout)
	}
}

func TestWithCost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cost uint64
		want argon2id.Params
	}{
		{0, argon2id.Params{MemoryKiB: 19456, Time: 2, Threads: 1}},
		{19456 * 2, argon2id.Params{MemoryKiB: 19456, Time: 2, Threads: 1}},
		{19456*2 + 100, argon2id.Params{MemoryKiB: 19456, Time: 2, Threads: 1}},
		{65536 * 2, argon2id.Params{MemoryKiB: 65536, Time: 2, Threads: 1}},
		{65000 * 2, argon2id.Params{MemoryKiB: 64512, Time: 2, Threads: 1}}, // rounded to whole MiB
		{65400 * 2, argon2id.Params{MemoryKiB: 65536, Time: 2, Threads: 1}},
		{calibrateMaxMemoryKiB * 2, argon2id.Params{MemoryKiB: calibrateMaxMemoryKiB, Time: 2, Threads: 1}},
		{calibrateMaxMemoryKiB * 5, argon2id.Params{MemoryKiB: calibrateMaxMemoryKiB, Time: 5, Threads: 1}},
	}
	for _, tt := range tests {
		if got := withCost(tt.cost, 1); got != tt.want {
			t.Errorf("withCost(%d, 1) = %v, want %v", tt.cost, got, tt.want)
		}
	}
	if got := withCost(65536*2, 4); got.Threads != 4 {
		t.Errorf("withCost(_, 4).Threads = %d, want 4", got.Threads)
	}
}
