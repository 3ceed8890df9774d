package hotpath

import (
	"testing"
	"time"
)

// cpuMeter reports the CPU time the whole process spends per iteration,
// as cpu-ns/op, beside the wall-clock ns/op. On a machine shared with
// other work the wall clock also counts the time the benchmark waited for
// a core; the CPU time counts only the work (SQLite's included, since it
// runs in the process; a PostgreSQL server's not).
type cpuMeter struct {
	start time.Duration
	ok    bool
}

// startCPU starts a cpuMeter; call it just before the timed loop.
func startCPU() cpuMeter {
	start, ok := cpuTime()
	return cpuMeter{start: start, ok: ok}
}

// report reports the CPU time per iteration since m started; call it
// after the timed loop, when b.N holds the iterations run.
func (m cpuMeter) report(b *testing.B) {
	end, ok := cpuTime()
	if !m.ok || !ok || b.N == 0 {
		return
	}
	b.ReportMetric(float64(end-m.start)/float64(b.N), "cpu-ns/op")
}
