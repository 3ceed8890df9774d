// Package domain holds gatehouse's entities and the rules that govern them:
// users, usernames, passwords, sessions and the errors the rest of the
// service reports. It depends on the standard library (and
// golang.org/x/text for Unicode normalization) only.
package domain
