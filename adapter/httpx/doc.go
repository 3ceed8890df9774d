// Package httpx is the HTTP delivery kernel that the site (package web)
// and the JSON API (package api) sit on. It holds, once, what both
// deliveries need: the driving ports they call, the rule that says which
// client a request came from, the request id and route pattern that logs
// carry, the typed key under which a request's principal is kept, the
// text check applied to every field a client sends, and the one table
// that turns an error into what a client is shown, with its JSON
// rendering (the site renders the same description as a page).
//
// The deliveries import this package and never each other; the layer
// test in test/ holds them to that. docs/architecture.md says how an
// error travels from a use case to a status.
package httpx
