package usecase

import "time"

// ThrottleReservation is one attempt to reserve with ThrottleStore.Reserve:
// at most one failure counter and any number of windowed counts, checked
// and counted together at At.
type ThrottleReservation struct {
	At time.Time
	// Counter, unless its Account is "", is counted one failure.
	Counter FailureCounter
	// Windows are each counted one event.
	Windows []WindowCount
}

// FailureCounter names a run of consecutive failures, kept per Account
// (a canonical username) and Key (a client network or a device), and the
// rule that locks it.
type FailureCounter struct {
	Account, Key string
	// Since forgets a run whose last failure is before it: the count
	// restarts from zero.
	Since time.Time
	Lock  LockRule
}

// LockRule locks a failure counter: Max consecutive failures lock it for
// Base from the last one, doubled per further failure, at most Cap.
type LockRule struct {
	Max       int
	Base, Cap time.Duration
}

// Until returns the time a counter of n failures, the last at last, is
// locked until: the zero time when n is below Max.
func (r LockRule) Until(n int, last time.Time) time.Time {
	if n < r.Max {
		return time.Time{}
	}
	d := r.Base
	for i := r.Max; i < n && d < r.Cap; i++ {
		d *= 2
	}
	return last.Add(min(d, r.Cap))
}

// WindowCount caps the events of Kind for Key to Max within the Window
// that ends at the reservation's time, (At-Window, At]. The window is
// full until its earliest event is Window old.
type WindowCount struct {
	Kind, Key string
	Max       int
	Window    time.Duration
}

// ThrottleTicket is what an accepted reservation counted, for
// ThrottleStore.Release: the counter (an empty Account when none) and the
// store's ids of the events it added.
type ThrottleTicket struct {
	Account, Key string
	Events       []int64
}
