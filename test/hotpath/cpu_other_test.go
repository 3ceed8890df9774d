//go:build !unix

package hotpath

import "time"

// cpuTime reports that this system cannot tell the process's CPU time.
func cpuTime() (time.Duration, bool) { return 0, false }
