// Package web is gatehouse's HTML delivery adapter: Fiber handlers for the
// seed's routes (/, /signup, /login, /logout), the account page (/account:
// password, sessions, activity, deletion) and the admin's list of users
// (/admin/users), the session and last-visit cookies, CSRF protection,
// security headers, and the one table that turns errors into statuses and
// pages.
package web
