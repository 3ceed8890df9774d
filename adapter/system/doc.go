// Package system connects the use cases to the machine: the wall clock and
// the operating system's cryptographic random source.
package system
