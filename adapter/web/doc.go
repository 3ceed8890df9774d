// Package web is gatehouse's HTML delivery adapter: Fiber handlers for the
// seed's routes (/, /signup, /login, /logout), the session and last-visit
// cookies, security headers, and the one table that turns errors into
// statuses and pages.
package web
