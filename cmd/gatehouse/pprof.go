//go:build pprof

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // the profiling build's whole point
	"os"
)

// A build with -tags pprof (for docs/performance.md's profiles, never a
// release) serves net/http/pprof on PPROF_ADDR, a loopback address such
// as 127.0.0.1:6060. The ordinary build has none of this.
func init() {
	addr := os.Getenv("PPROF_ADDR")
	if addr == "" {
		return
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			slog.Error("pprof", "err", err)
		}
	}()
}
