package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/test/testserver"
	"go.uber.org/fx"
)

// suite is what every test shares: the browser to run, axe-core's source
// and where screenshots go.
type suite struct {
	chromium string
	axe      string // test/e2e/testdata/axe-core/axe.min.js
	shots    string // E2E_SCREENSHOTS, or screenshots/
	docs     string // docs/screenshots with E2E_UPDATE_DOCS=1, else ""
}

var (
	suiteOnce sync.Once
	theSuite  suite
	suiteErr  error
)

// loadSuite reads axe-core and prepares the screenshot folders, once.
func loadSuite(t *testing.T, chromium string) *suite {
	t.Helper()
	suiteOnce.Do(func() {
		var axe []byte
		axe, suiteErr = os.ReadFile(filepath.Join("testdata", "axe-core", "axe.min.js"))
		if suiteErr != nil {
			return
		}
		theSuite = suite{chromium: chromium, axe: string(axe), shots: os.Getenv(screenshotsEnv)}
		if theSuite.shots == "" {
			theSuite.shots = "screenshots"
		}
		if suiteErr = os.MkdirAll(theSuite.shots, 0o755); suiteErr != nil {
			return
		}
		if os.Getenv(updateDocsEnv) == "1" {
			theSuite.docs = filepath.Join("..", "..", "docs", "screenshots")
			suiteErr = os.MkdirAll(theSuite.docs, 0o755)
		}
	})
	if suiteErr != nil {
		t.Fatalf("e2e setup: %v", suiteErr)
	}
	return &theSuite
}

// site is a running gatehouse that the test's browsers visit.
type site struct {
	t     *testing.T
	suite *suite
	base  string // http://127.0.0.1:PORT

	mu    sync.Mutex
	shots int // screenshots taken, for their file names' order
}

// startSite boots gatehouse with the extra fx options, after making sure
// there is a browser to test it with.
func startSite(t *testing.T, opts ...fx.Option) *site {
	t.Helper()
	s := loadSuite(t, requireChromium(t))
	logs := &testserver.Buffer{}
	addr := testserver.Start(t, testserver.Config(t), logs, opts...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return &site{t: t, suite: s, base: "http://" + addr}
}

// isPage reports whether url is one of the site's pages (not a static
// file).
func (s *site) isPage(url string) bool {
	return strings.HasPrefix(url, s.base+"/") && !strings.HasPrefix(url, s.base+"/static/")
}

// nextShot numbers the test's screenshots.
func (s *site) nextShot() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shots++
	return s.shots
}
