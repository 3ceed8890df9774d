package argon2id

import "syscall"

// HashingNice is the nice value of the threads that run hashes: 10 gives
// a thread serving pages (nice 0) about nine times the CPU of a hashing
// thread when both want the same core (Linux CFS weights 1024 and 110).
const HashingNice = 10

// lowerThreadPriority sets the calling OS thread's nice value to
// HashingNice. On Linux the nice value belongs to a thread, not the
// process (setpriority(2), NOTES). Raising one's own nice value needs no
// privilege; should it fail anyway, the hash runs at normal priority.
func lowerThreadPriority() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), HashingNice)
}
