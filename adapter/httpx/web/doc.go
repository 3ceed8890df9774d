// Package web is gatehouse's HTML delivery adapter: Fiber handlers for the
// seed's routes (/, /signup, /login, /logout), the account page (/account:
// password, sessions, activity, deletion) and the admin's list of users
// (/admin/users), the session and last-visit cookies, CSRF protection,
// security headers, and the page rendering of the kernel's error
// descriptions (httpx.Describe). It sits beneath package httpx and imports
// no other adapter.
package web
