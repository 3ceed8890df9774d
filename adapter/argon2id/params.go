package argon2id

import (
	"errors"
	"fmt"
)

// maxMemoryKiB is the largest memory cost accepted: 4 GiB in KiB. It bounds
// what a stored hash can make Verify allocate.
const maxMemoryKiB = 4 * 1024 * 1024

// Params are the Argon2id cost parameters.
type Params struct {
	// MemoryKiB is the memory cost in KiB (the m parameter).
	MemoryKiB uint32
	// Time is the number of passes over the memory (the t parameter).
	Time uint32
	// Threads is the degree of parallelism (the p parameter).
	Threads uint8
}

// DefaultParams returns the OWASP Password Storage Cheat Sheet's first
// recommendation for Argon2id: 19 MiB of memory, 2 passes, 1 thread.
func DefaultParams() Params {
	return Params{MemoryKiB: 19456, Time: 2, Threads: 1}
}

// Validate returns an error naming the first rule p breaks, or nil. The
// rules: at least one thread, at least one pass, and between 8 KiB per
// thread and 4 GiB of memory.
func (p Params) Validate() error {
	if msg := p.problem(); msg != "" {
		return errors.New("argon2id: invalid params: " + msg)
	}
	return nil
}

// String formats p as the parameter field of a PHC string.
func (p Params) String() string {
	return fmt.Sprintf("m=%d,t=%d,p=%d", p.MemoryKiB, p.Time, p.Threads)
}

// problem describes what is wrong with p, or returns "" when p is valid.
func (p Params) problem() string {
	switch {
	case p.Threads < 1:
		return "threads must be 1 to 255, got 0"
	case p.Time < 1:
		return "time must be at least 1, got 0"
	case p.MemoryKiB < 8*uint32(p.Threads):
		return fmt.Sprintf("memory must be at least 8 KiB per thread (%d KiB for %d threads), got %d KiB",
			8*uint32(p.Threads), p.Threads, p.MemoryKiB)
	case p.MemoryKiB > maxMemoryKiB:
		return fmt.Sprintf("memory must be at most %d KiB (4 GiB), got %d KiB", maxMemoryKiB, p.MemoryKiB)
	}
	return ""
}
