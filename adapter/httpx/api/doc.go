// Package api is gatehouse's JSON delivery adapter: a second way into the
// same use cases as the HTML site, for mobile apps and other programs. It
// serves /api/v1 as a Fiber sub-app with its own error handler, so that no
// /api request ever meets the site's cookies, CSRF checks or HTML pages.
//
// Clients authenticate with "Authorization: Bearer <token>", where the token
// is a server-side session exactly like the site's cookie: 256 random bits,
// stored only as a SHA-256, revocable, with the same lifetimes. The API
// reads no cookie, so it has no CSRF surface. Every error is one JSON shape,
// {"error": {"code", "message", "fields"}}, from the kernel's one table
// (httpx.Describe, rendered by httpx.WriteJSON).
// openapi.json, embedded and served as is, describes all of it.
package api
