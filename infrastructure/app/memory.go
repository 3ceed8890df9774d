package app

import "runtime/debug"

// releaseStartupMemory hands back to the operating system, once the
// service is built and before it serves, the heap that building it used
// and no longer needs. Most of it is the decoy hash usecase.NewAuthenticator
// computes up front (so that the first login for an unknown name costs
// what every later one does): Argon2id's work area, about 19 MiB with the
// default parameters, garbage as soon as the hash is done. An idle server
// allocates too little to start a collection that would free it, and once
// freed the runtime keeps free pages up to its heap goal, so without this
// the process would hold that memory until a burst of logins, which needs
// it anyway. debug.FreeOSMemory runs one collection and returns every free
// page: a pause of a few milliseconds on a heap of about 10 MiB, once.
// Memory that hashing needs later comes back from the system on demand.
func releaseStartupMemory() {
	debug.FreeOSMemory()
}
