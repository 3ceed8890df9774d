package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// wcagTags are the axe-core rule tags of WCAG 2.1 levels A and AA.
const wcagTags = `["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]`

// axeViolation is one failed axe-core rule with the elements that fail it.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkPage runs every per-page check on the page shown, named name in
// failures and screenshot files, and fails the test for each problem it
// finds (see audit). doc, when not "", names the page's screenshots in
// docs/screenshots.
func (b *browser) checkPage(name, doc string) {
	b.t.Helper()
	for _, p := range b.audit(name, doc) {
		b.t.Errorf("%s (%s): %s", name, b.location(), p)
	}
}

// audit checks the page shown and returns its problems: console errors,
// exceptions and CSP violations since the last audit, axe-core WCAG 2.1
// A/AA violations (light and dark colours, desktop and phone width),
// sideways scrolling at phone width. It takes the page's screenshots on
// the way.
func (b *browser) audit(name, doc string) []string {
	b.t.Helper()
	b.waitLoaded()
	n := b.site.nextShot()
	var problems []string
	for _, v := range []viewport{desktop, phone} {
		b.setViewport(v)
		if v == phone {
			problems = append(problems, b.sideScroll()...)
		}
		problems = append(problems, b.axe(v.name+" width, light colours")...)
		b.screenshot(fmt.Sprintf("%s-%02d-%s-%s.png", shotPrefix(b.t.Name()), n, name, v.name), doc, v)
	}
	b.setColorScheme("dark")
	problems = append(problems, b.axe("dark colours")...)
	b.setColorScheme("light")
	b.setViewport(b.view)
	return append(problems, b.takeProblems()...)
}

// waitLoaded waits until the document, its style sheets, images and
// scripts have loaded.
func (b *browser) waitLoaded() {
	b.t.Helper()
	_, err := run(b, chromedp.Poll[bool](`document.readyState === "complete"`))
	if err != nil {
		b.t.Fatalf("wait for the page to load: %v", err)
	}
}

// sideScroll reports the page being wider than the viewport: a phone
// user would have to scroll sideways.
func (b *browser) sideScroll() []string {
	b.t.Helper()
	type widths struct {
		Scroll int      `json:"scroll"`
		Client int      `json:"client"`
		Wide   []string `json:"wide"`
	}
	// The culprits: elements past the right edge, those outside the
	// tables' scrolling frames first.
	w := eval[widths](b, `(() => {
	  const root = document.documentElement;
	  const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
	    (e.className ? "." + String(e.className).trim().split(/\s+/).join(".") : "");
	  const past = [...document.body.querySelectorAll("*")]
	    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5);
	  const inFrame = e => e.parentElement && e.parentElement.closest(".table-responsive");
	  const wide = past.filter(e => !inFrame(e)).concat(past.filter(inFrame).map(e => name(e) + " (in a table frame)"))
	    .slice(0, 5).map(e => typeof e === "string" ? e : name(e));
	  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
	})()`)
	if w.Scroll > w.Client {
		return []string{fmt.Sprintf("at %d px the page is %d px wide and scrolls sideways; too wide: %v", w.Client, w.Scroll, w.Wide)}
	}
	return nil
}

// axe runs axe-core, injected through the DevTools protocol (which the
// page's CSP does not govern), and reports each WCAG 2.1 A/AA violation;
// when says under which conditions it ran.
func (b *browser) axe(when string) []string {
	b.t.Helper()
	if !eval[bool](b, `typeof window.axe === "object"`) {
		eval[chromedp.Void](b, b.site.suite.axe)
	}
	violations := eval[[]axeViolation](b, `axe.run(document, {
	  runOnly: {type: "tag", values: `+wcagTags+`},
	  resultTypes: ["violations"]
	}).then(r => r.violations.map(v => ({
	  id: v.id, impact: v.impact, help: v.help,
	  nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.replace(/\s+/g, " "))
	})))`, chromedp.EvalAwaitPromise)
	var problems []string
	for _, v := range violations {
		problems = append(problems, fmt.Sprintf("axe (%s): %s (%s): %s\n\t%s", when, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t")))
	}
	return problems
}

// setColorScheme emulates prefers-color-scheme, and reduced motion, which
// turns Bootstrap's colour transitions off: axe must see the colours a
// page settles on, not those of the moment the scheme changed.
func (b *browser) setColorScheme(scheme string) {
	b.t.Helper()
	b.call("emulate prefers-color-scheme: "+scheme, func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{
				{Name: "prefers-color-scheme", Value: scheme},
				{Name: "prefers-reduced-motion", Value: "reduce"},
			},
		})
		return err
	})
}

// screenshot writes the whole page as a PNG into the screenshot folder,
// and, when doc is not "" and E2E_UPDATE_DOCS=1, what the screen shows into
// docs/screenshots/DOC-VIEWPORT.png.
func (b *browser) screenshot(file, doc string, v viewport) {
	b.t.Helper()
	full, err := run(b, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", file, err)
	}
	if err := os.WriteFile(filepath.Join(b.site.suite.shots, file), full, 0o644); err != nil {
		b.t.Fatalf("write screenshot: %v", err)
	}
	if doc == "" || b.site.suite.docs == "" {
		return
	}
	shown, err := run(b, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
		return res.Data, err
	})
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", doc, err)
	}
	if err := os.WriteFile(filepath.Join(b.site.suite.docs, doc+"-"+v.name+".png"), shown, 0o644); err != nil {
		b.t.Fatalf("write screenshot: %v", err)
	}
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// shotPrefix turns a test name into the start of a file name.
func shotPrefix(test string) string {
	return unsafeFileChars.ReplaceAllString(strings.TrimPrefix(test, "Test"), "-")
}
