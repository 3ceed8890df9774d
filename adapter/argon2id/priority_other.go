//go:build !linux

package argon2id

// HashingNice is the nice value of hashing threads on Linux; elsewhere
// hashes run at the process's priority.
const HashingNice = 0

// lowerThreadPriority does nothing where nice values belong to the
// process rather than to each thread.
func lowerThreadPriority() {}
