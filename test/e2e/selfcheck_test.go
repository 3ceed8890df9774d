package e2e

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindChromium protects the skip message and the E2E_REQUIRED switch's
// input: which browser is found, and that a wrong GATEHOUSE_E2E_CHROMIUM
// is reported rather than ignored.
func TestFindChromium(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "chrome")
	if err := os.WriteFile(exe, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == chromiumEnv {
				return v
			}
			return ""
		}
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	only := func(want string) func(string) (string, error) {
		return func(name string) (string, error) {
			if name == want {
				return "/opt/" + name, nil
			}
			return "", errors.New("not found")
		}
	}

	if got, err := findChromium(env(exe), none); err != nil || got != exe {
		t.Errorf("findChromium(%s=%s) = %q, %v; want that file", chromiumEnv, exe, got, err)
	}
	missing := filepath.Join(t.TempDir(), "no-such-browser")
	if _, err := findChromium(env(missing), only("chromium")); !errors.Is(err, errNoBrowser) || !strings.Contains(err.Error(), chromiumEnv) {
		t.Errorf("findChromium(%s=%s) error = %v, want errNoBrowser naming the variable (not a fallback to PATH)", chromiumEnv, missing, err)
	}
	if got, err := findChromium(env(""), only("google-chrome")); err != nil || got != "/opt/google-chrome" {
		t.Errorf("findChromium with google-chrome in PATH = %q, %v; want /opt/google-chrome", got, err)
	}
	if _, err := findChromium(env(""), none); !errors.Is(err, errNoBrowser) {
		t.Errorf("findChromium with no browser error = %v, want errNoBrowser", err)
	}
}

// TestChecksCatchBrokenPages proves that each page check can fail: a page
// broken on purpose (through the DevTools protocol) must show a console
// error, a CSP violation, a missing static file, an axe violation, sideways
// scrolling and an invisible focus.
func TestChecksCatchBrokenPages(t *testing.T) {
	s := startSite(t)
	b := s.launch(t, "", desktop)
	b.wantAt(b.open("/login"), http.StatusOK, "/login")
	if problems := b.audit("clean", ""); len(problems) > 0 {
		t.Fatalf("the login page has problems before it is broken: %v", problems)
	}

	eval[any](b, `(() => {
	  console.error("broken on purpose");
	  const style = document.createElement("style");
	  style.textContent = "body { color: red }";
	  document.head.append(style);
	  const img = document.createElement("img");
	  img.src = "/static/no-such-image.png";
	  document.querySelector("main").append(img);
	  const wide = document.createElement("div");
	  wide.style.width = "2000px";
	  wide.textContent = "wide";
	  document.querySelector("main").append(wide);
	  document.getElementById("username").style.outline = "none";
	  return null;
	})()`)
	b.waitLoaded()
	problems := strings.Join(b.audit("broken", ""), "\n")
	for what, want := range map[string]string{
		"console error":       "console.error: broken on purpose",
		"CSP violation":       "CSP violation: style-src",
		"missing static file": "no-such-image.png",
		"axe violation":       "image-alt",
		"sideways scrolling":  "scrolls sideways",
	} {
		if !strings.Contains(problems, want) {
			t.Errorf("the audit of a page with a %s does not report %q; it reports:\n%s", what, want, problems)
		}
	}
	eval[any](b, `document.getElementById("username").focus()`)
	if f := b.focus("#username"); !f.Matches || f.Visible {
		t.Errorf("focus on a field with outline: none = %+v, want it matched and not visible", f)
	}
}
