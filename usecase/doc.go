// Package usecase holds gatehouse's application logic: registration,
// authentication and the session lifecycle. Each use case declares the
// narrow ports it needs next to itself; adapters implement them. The
// package imports only domain and the standard library.
package usecase
