// Package ops tests gatehouse as operators run it: the built binary on a
// SQLite file, stopped by signals, killed, and restarted.
package ops
