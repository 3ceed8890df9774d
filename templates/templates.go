// Package templates embeds the HTML page templates, the layout and the static
// assets of gatehouse's web interface, so the binary carries everything it
// needs to render a page.
//
// The web adapter loads FS with github.com/gofiber/template/html/v2:
//
//	engine := html.NewFileSystem(http.FS(templates.FS), ".html")
//
// and calls engine.Load during start, so a broken template stops the start.
// Pages are named by path without the extension ("login", "signup",
// "dashboard", "logout", "account", "admin_users", "error"); the layout is "layouts/base" and puts the
// page where it says {{embed}}. Static files are served from "static/".
package templates

import "embed"

// FS holds the page templates and static assets.
//
//go:embed *.html layouts/*.html static/*
var FS embed.FS
