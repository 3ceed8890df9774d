// Package e2e holds gatehouse's end-to-end tests: a real Chromium, driven
// through the DevTools protocol (github.com/chromedp/chromedp), goes
// through the site the way people do, with the keyboard alone, against the
// real server on loopback (test/testserver).
//
// On every page it checks that nothing reaches the console (errors,
// exceptions, Content-Security-Policy violations), that axe-core finds no
// WCAG 2.1 A or AA violation in the light and the dark colour scheme, that
// the page does not scroll sideways at 375 px, and that every stop of the
// Tab key shows a visible focus; and it takes a screenshot at desktop
// (1280x800) and phone (375x740) width.
//
// Run them with
//
//	go test ./test/e2e/
//
// They need Chromium or Chrome: apt-get install chromium, or set
// GATEHOUSE_E2E_CHROMIUM=/path/to/chrome. Without one they skip, unless
// E2E_REQUIRED=1 (as in CI), which makes a missing browser a failure.
// Screenshots go to E2E_SCREENSHOTS (default test/e2e/screenshots, which git
// ignores); E2E_UPDATE_DOCS=1 also rewrites the README's screenshots in
// docs/screenshots.
package e2e
