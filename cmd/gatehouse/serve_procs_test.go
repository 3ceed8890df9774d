package main

import (
	"runtime"
	"testing"
)

// TestSpareProcsForPages keeps a P free for requests per hashing slot,
// and leaves an operator's explicit GOMAXPROCS alone.
func TestSpareProcsForPages(t *testing.T) {
	orig := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(orig) })

	before, after := spareProcsForPages(func(string) (string, bool) { return "", false })
	if before != orig || after != 2*orig || runtime.GOMAXPROCS(0) != 2*orig {
		t.Errorf("unset GOMAXPROCS: got before %d, after %d, now %d; want %d, %d, %d",
			before, after, runtime.GOMAXPROCS(0), orig, 2*orig, 2*orig)
	}
	runtime.GOMAXPROCS(orig)

	before, after = spareProcsForPages(func(name string) (string, bool) { return "3", name == "GOMAXPROCS" })
	if before != orig || after != orig || runtime.GOMAXPROCS(0) != orig {
		t.Errorf("GOMAXPROCS set: got before %d, after %d, now %d; want all %d", before, after, runtime.GOMAXPROCS(0), orig)
	}
}
