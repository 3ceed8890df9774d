// Package usecase holds gatehouse's application logic: registration,
// authentication and the session lifecycle. The driven ports the use
// cases need are declared, narrow and from the consumer's side, in
// ports.go, grouped by area, each with what an implementation must
// guarantee; adapters implement them. The package imports only domain and
// the standard library.
package usecase
