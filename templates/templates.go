// Package templates embeds the HTML page templates, the layout and the static
// assets of gatehouse's web interface, so the binary carries everything it
// needs to render a page.
//
// The web adapter parses FS with html/template during start, puts each
// page into a template set of its own with the layout and the partials,
// and renders every page once, so a broken template stops the start. Pages are named by path without
// the extension ("login", "signup", "dashboard", "logout", "account",
// "admin_users", "error"); the layout is "layouts/base" and puts the page
// where it says {{template "page" .Content}}; "layouts/partials" holds the
// templates that several pages include.
//
// Static files are served from "static/", each under a name with a hash of
// its content, which a template links as {{static "style.css"}}: exactly
// so spelled, as the web adapter puts the address into the template's
// text at start. The look is Bootstrap's:
// static/vendor/bootstrap/bootstrap.min.css is
// dist/css/bootstrap.min.css of the npm package bootstrap 5.3.9, unchanged
// (sha256 9caac977a0af0c2229abd397eee3345899c4020da2a1a0b711c1cc543fe3719d),
// with its MIT LICENSE beside it. To update it, run `npm pack bootstrap@5.3`
// and copy those two files; no Bootstrap JavaScript is used. static/style.css
// holds the site's own rules on top, and static/password-hint.js the only
// script, which the pages work without.
//
// mail/ holds the messages gatehouse sends, one kind per pair of files:
// KIND.txt (text/template) defines "subject" and "body", the plain text;
// KIND.html (html/template) defines "body", which mail/layout.html wraps
// as the HTML alternative. The mail adapter parses them at start.
package templates

import "embed"

// FS holds the page templates and static assets.
//
//go:embed *.html layouts/*.html static/* mail/*
var FS embed.FS
