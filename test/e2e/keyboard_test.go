package e2e

import (
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// maxTabs bounds the Tab presses that look for one element: no page of the
// site has that many stops before its last control.
const maxTabs = 40

// focusState describes document.activeElement.
type focusState struct {
	Desc    string `json:"desc"`    // tag#id.class, for messages
	Matches bool   `json:"matches"` // whether it matches the selector looked for
	Visible bool   `json:"visible"` // whether it shows an outline or a box-shadow
	Shown   bool   `json:"shown"`   // whether it has a size on screen
	Body    bool   `json:"body"`    // nothing has the focus
}

// focus describes the focused element and whether it matches sel.
func (b *browser) focus(sel string) focusState {
	b.t.Helper()
	return eval[focusState](b, fmt.Sprintf(`(() => {
	  const e = document.activeElement;
	  if (!e || e === document.body || e === document.documentElement) return {body: true};
	  const s = getComputedStyle(e);
	  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
	  const shadow = s.boxShadow !== "none";
	  const r = e.getBoundingClientRect();
	  const desc = e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
	    (e.getAttribute("name") ? "[name=" + e.getAttribute("name") + "]" : "") +
	    " " + JSON.stringify((e.innerText || e.value || "").trim().slice(0, 40));
	  return {desc, matches: e.matches(%q), visible: outline || shadow, shown: r.width > 0 && r.height > 0};
	})()`, sel))
}

// tabTo presses Tab until the element sel matches has the focus, as a
// keyboard user would, and fails the test if any element on the way shows
// no visible focus, or if sel is never reached.
func (b *browser) tabTo(sel string) {
	b.t.Helper()
	for range maxTabs {
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
		f := b.focus(sel)
		if f.Body {
			continue // past the last stop, Tab leaves the page for a moment
		}
		if !f.Visible || !f.Shown {
			b.t.Errorf("on %s, Tab focuses %s with no visible focus indicator (outline or box-shadow: %v, on screen: %v)", b.location(), f.Desc, f.Visible, f.Shown)
		}
		if f.Matches {
			return
		}
	}
	b.t.Fatalf("on %s, %d presses of Tab never reach %s", b.location(), maxTabs, sel)
}

// wantFocus fails the test unless the element sel has the focus.
func (b *browser) wantFocus(sel, why string) {
	b.t.Helper()
	// The browser applies autofocus at a rendering step after the load
	// event, so right after a navigation nothing may hold the focus yet:
	// wait a moment for it, but not for the focus to move elsewhere.
	f := b.focus(sel)
	for deadline := time.Now().Add(2 * time.Second); f.Body && time.Now().Before(deadline); f = b.focus(sel) {
		time.Sleep(20 * time.Millisecond)
	}
	if !f.Matches {
		b.t.Errorf("on %s the focus is on %s, want %s (%s)", b.location(), f.Desc, sel, why)
		return
	}
	if !f.Visible {
		b.t.Errorf("on %s the focused %s shows no focus indicator", b.location(), f.Desc)
	}
}

// typeInto tabs to the field sel and types text into it.
func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	b.tabTo(sel)
	b.typeText(text)
}

// typeText types text into the focused element, key by key.
func (b *browser) typeText(text string) {
	b.t.Helper()
	b.do("type", chromedp.KeyEvent(text))
}

// pressAndLoad presses key (kb.Enter, say) and waits for the page that
// loads; it returns the HTTP status of that page, after any redirects.
func (b *browser) pressAndLoad(key string) int64 {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(key))
	if err != nil {
		b.t.Fatalf("press %q and wait for the page: %v", key, err)
	}
	if res == nil {
		b.t.Fatalf("press %q loaded no page", key)
	}
	return res.Status
}

// activate tabs to the button or link sel and presses Enter on it; it
// returns the HTTP status of the page that loads.
func (b *browser) activate(sel string) int64 {
	b.t.Helper()
	b.tabTo(sel)
	return b.pressAndLoad(kb.Enter)
}
