package argon2id

import (
	"context"
	"runtime"
	"syscall"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// priorityHasher records the nice value of the thread each call ran on.
type priorityHasher struct{ nice []int }

func (f *priorityHasher) record() {
	// The raw getpriority system call answers 20 - nice.
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		panic(err)
	}
	f.nice = append(f.nice, 20-prio)
}

func (f *priorityHasher) Hash(context.Context, domain.Password) (string, error) {
	f.record()
	return "fake hash", nil
}

func (f *priorityHasher) Verify(context.Context, domain.Password, string) (bool, bool, error) {
	f.record()
	return true, false, nil
}

// TestPoolHashesAtLowerPriority protects pages during a login flood: the
// kernel must see hashing threads as less urgent than the threads that
// serve requests, and the caller's own thread must keep its priority.
func TestPoolHashesAtLowerPriority(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatalf("getpriority: %v", err)
	}
	f := &priorityHasher{}
	p := newPool(f, PoolLimits{Workers: 1})
	if _, err := p.Hash(t.Context(), testPassword("correct horse battery staple")); err != nil {
		t.Fatalf("Hash() error = %v", err)
	}
	if _, _, err := p.Verify(t.Context(), testPassword("correct horse battery staple"), "x"); err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	base := 20 - before
	for i, nice := range f.nice {
		if want := max(base, HashingNice); nice != want {
			t.Errorf("call %d ran at nice %d, want %d", i, nice, want)
		}
	}
	if len(f.nice) != 2 {
		t.Errorf("hasher called %d times, want 2", len(f.nice))
	}
	after, _ := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if after != before {
		t.Errorf("caller's thread priority went from %d to %d; only hashing threads may change", before, after)
	}
}

// TestPoolPanicReachesCaller keeps a hasher's panic where it would have
// been without the hashing thread: in the caller, for its recovery.
func TestPoolPanicReachesCaller(t *testing.T) {
	p := newPool(panickingHasher{}, PoolLimits{Workers: 1})
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recover() = %v, want boom", r)
		}
		if got := len(p.slots); got != 0 {
			t.Errorf("slots taken after the panic = %d, want 0", got)
		}
	}()
	_, _ = p.Hash(t.Context(), testPassword("correct horse battery staple"))
}

type panickingHasher struct{}

func (panickingHasher) Hash(context.Context, domain.Password) (string, error) { panic("boom") }
func (panickingHasher) Verify(context.Context, domain.Password, string) (bool, bool, error) {
	panic("boom")
}
