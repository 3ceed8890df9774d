package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Environment variables that steer the tests.
const (
	chromiumEnv    = "GATEHOUSE_E2E_CHROMIUM" // the browser's path
	requiredEnv    = "E2E_REQUIRED"           // "1": a missing browser fails the tests
	screenshotsEnv = "E2E_SCREENSHOTS"        // where screenshots go
	updateDocsEnv  = "E2E_UPDATE_DOCS"        // "1": rewrite docs/screenshots
)

// browserNames are the commands looked up in PATH when GATEHOUSE_E2E_CHROMIUM
// is unset, in order.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"}

// errNoBrowser says that no browser was found.
var errNoBrowser = errors.New("no Chromium or Chrome found")

// findChromium returns the browser to drive: GATEHOUSE_E2E_CHROMIUM (which
// must exist), else the first of browserNames in PATH.
func findChromium(getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	if p := getenv(chromiumEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", errNoBrowser, chromiumEnv, p, err)
		}
		return p, nil
	}
	for _, name := range browserNames {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w in PATH (looked for %s)", errNoBrowser, strings.Join(browserNames, ", "))
}

// requireChromium returns the browser's path, or skips t (fails it when
// E2E_REQUIRED=1) with a message that says how to run the tests.
func requireChromium(t *testing.T) string {
	t.Helper()
	required := os.Getenv(requiredEnv) == "1"
	if testing.Short() && !required {
		t.Skip("e2e: browser tests skipped in -short mode")
	}
	p, err := findChromium(os.Getenv, exec.LookPath)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("e2e: %v. To run the browser tests, install Chromium (apt-get install chromium) or set %s=/path/to/chrome", err, chromiumEnv)
	if required {
		t.Fatalf("%s; %s=1 makes a missing browser a failure", msg, requiredEnv)
	}
	t.Skip(msg)
	return ""
}

// Viewports: the pages are checked and photographed at both.
type viewport struct {
	name          string
	width, height int64
	mobile        bool
}

var (
	desktop = viewport{"desktop", 1280, 800, false}
	phone   = viewport{"phone", 375, 740, true}
)

// User-Agent headers: the account page names each session's browser, and
// a headless Chrome calls itself HeadlessChrome ("Automated client").
const (
	desktopChrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
	iPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)

// actionTimeout bounds one step (a key press and the page it loads, an
// evaluation, a screenshot), so a step that hangs fails; generous, since
// a loaded CI machine (the race detector, other packages) slows Chromium.
const actionTimeout = 90 * time.Second

// browserLife bounds one browser process, so a hung browser fails the
// test instead of holding it until go test's own timeout.
const browserLife = 8 * time.Minute

// browser is a tab of a Chromium process (see launch and otherDevice),
// whose profile directory, cookies and all, can outlive the process.
type browser struct {
	t      *testing.T
	site   *site
	ctx    context.Context // the tab
	stop   context.CancelFunc
	view   viewport // the viewport the flow runs at
	closed bool

	mu       sync.Mutex
	problems []string // console errors, exceptions, CSP violations, issues
}

// cspReporter runs in every document before the page's own scripts (the
// DevTools protocol injects it, so the page's CSP does not apply) and
// writes every Content-Security-Policy violation to the console, where the
// browser's listener sees it.
const cspReporter = `document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`

// launch starts Chromium on the profile directory (a new one when
// profile is "") with its tab at view's size, and closes it when t ends.
func (s *site) launch(t *testing.T, profile string, view viewport) *browser {
	t.Helper()
	if profile == "" {
		profile = t.TempDir()
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(s.suite.chromium),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(int(desktop.width), int(desktop.height)),
		chromedp.UserAgent(desktopChrome),
	)
	life, cancelLife := context.WithTimeout(context.Background(), browserLife)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(life, opts...)
	b := &browser{t: t, site: s, view: view}
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(b.listen))
	b.ctx = ctx
	b.stop = func() { cancelTab(); cancelAlloc(); cancelLife() }
	t.Cleanup(b.close)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", s.suite.chromium, err)
	}
	b.call("inject the CSP reporter", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspReporter})
		return err
	})
	// A headless tab never has the system's focus, and without it no
	// element matches :focus and autofocus does nothing; a person's
	// window does have it.
	b.call("emulate a focused window", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
	b.call("enable audits", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, audits.Enable, struct{}{})
		return err
	})
	b.setViewport(view)
	b.setColorScheme("light")
	return b
}

// close quits the browser the way a person does, so it writes its cookies
// to the profile: the next launch on the profile finds the persistent ones
// and, as after any real restart, not the session cookies.
func (b *browser) close() {
	if b.closed {
		return
	}
	b.closed = true
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Cancel(ctx); err != nil && !errors.Is(err, context.Canceled) {
		b.t.Errorf("close the browser: %v", err)
	}
	b.stop()
}

// listen runs for each event of the tab, in the loop that reads them: it
// must return fast and send no command.
func (b *browser) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, remoteText(a))
			}
			problem = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		problem = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError && e.Level != log.EntryLevelWarning {
			return
		}
		if e.Source == log.EntrySourceNetwork && b.site.isPage(e.URL) {
			// "the server responded with a status of 401": an error page
			// is a document with an error status, which the flows expect
			// and check. A failed stylesheet, script or icon is not.
			return
		}
		problem = fmt.Sprintf("browser log (%s, %s) %s: %s", e.Source, e.Level, e.URL, e.Text)
	case *audits.EventIssueAdded:
		if ev.Issue.Code == audits.InspectorIssueCodeCookieIssue {
			return // about third-party cookie phase-outs, not this site
		}
		problem = fmt.Sprintf("DevTools issue %s: %s", ev.Issue.Code, issueDetails(ev.Issue))
	default:
		return
	}
	b.mu.Lock()
	b.problems = append(b.problems, problem)
	b.mu.Unlock()
}

// takeProblems returns and forgets what went wrong since the last call.
func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

// remoteText is a console argument as text.
func remoteText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if len(o.Value) > 0 {
		return strings.Trim(string(o.Value), `"`)
	}
	return o.Description
}

// issueDetails summarizes a DevTools issue.
func issueDetails(i *audits.InspectorIssue) string {
	if i.Details == nil {
		return ""
	}
	d := i.Details
	switch {
	case d.ContentSecurityPolicyIssueDetails != nil:
		c := d.ContentSecurityPolicyIssueDetails
		return fmt.Sprintf("%s blocked %s", c.ViolatedDirective, c.BlockedURL)
	case d.GenericIssueDetails != nil:
		g := d.GenericIssueDetails
		return fmt.Sprintf("%s (%s)", g.ErrorType, g.ViolatingNodeAttribute)
	}
	return fmt.Sprintf("%+v", *d)
}

// step is the tab's context for one step, limited to actionTimeout.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, actionTimeout)
}

// run runs one action on the tab, within actionTimeout.
func run[T any](b *browser, a chromedp.Action[T]) (T, error) {
	ctx, cancel := b.step()
	defer cancel()
	return chromedp.Run(ctx, a)
}

// call runs f on the tab and fails the test with what when it fails.
func (b *browser) call(what string, f func(ctx context.Context) error) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := f(ctx); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// do runs the actions on the tab and fails the test when one fails.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if _, err := run(b, chromedp.Steps(actions...)); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](b *browser, expr string, opts ...chromedp.EvaluateOption) T {
	b.t.Helper()
	v, err := run(b, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		b.t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// setViewport sizes the page as a desktop or a phone screen.
func (b *browser) setViewport(v viewport) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if v.mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	b.do("set the viewport to "+v.name, chromedp.EmulateViewport(v.width, v.height, opts...))
}

// open loads the site's path and returns the HTTP status of the page it
// ends on (after redirects).
func (b *browser) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Navigate(b.site.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return res.Status
}

// location is the path and query of the page shown.
func (b *browser) location() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// text is the visible text of the first element sel matches, "" when none.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText.trim()`, sel))
}

// attr is the attribute name of the first element sel matches, "" when
// there is none.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`((document.querySelector(%q) || {getAttribute: () => ""}).getAttribute(%q) || "")`, sel, name))
}

// wantText fails the test unless the element sel shows want.
func (b *browser) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("%s on %s shows %q, want %q", sel, b.location(), got, want)
	}
}
