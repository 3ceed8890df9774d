// Package webauthn runs the WebAuthn ceremonies of gatehouse's passkeys
// on github.com/go-webauthn/webauthn, behind usecase.PasskeyCeremony: the
// library's types stay inside this package. Registration requires a
// resident (discoverable) key and user verification, asks for no
// attestation, and excludes the account's passkeys; every login requires
// user verification.
package webauthn
