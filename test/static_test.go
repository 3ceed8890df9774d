package test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

var (
	// hashedStylesheet is the layout's link to the site's own stylesheet.
	hashedStylesheet = regexp.MustCompile(`<link rel="stylesheet" href="/static/style\.[0-9a-f]{8}\.css">`)
	// staticLink is any link from a page to a static file.
	staticLink = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	// hashedName is a static file name with the hash of its content.
	hashedName = regexp.MustCompile(`\.([0-9a-f]{8})\.(?:css|js|svg)$`)
)

// staticLinks returns the distinct static files body links, in order.
func staticLinks(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range staticLink.FindAllStringSubmatch(body, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// TestPagesLinkHashedStaticFiles protects the caching scheme: every page
// links its stylesheets, script and icon under names with a hash of their
// content, served with a year-long immutable Cache-Control, so a browser
// never asks again and a new version is fetched the moment a page links it.
func TestPagesLinkHashedStaticFiles(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	links := map[string]bool{}
	for _, path := range []string{"/login", "/signup", "/no/such/page"} {
		for _, l := range staticLinks(b.get(path).Body) {
			links[l] = true
		}
	}
	for _, want := range []string{"/static/vendor/bootstrap/bootstrap.min.", "/static/style.", "/static/password-hint.", "/static/favicon."} {
		found := false
		for l := range links {
			found = found || strings.HasPrefix(l, want)
		}
		if !found {
			t.Errorf("no page links %s<hash>; links: %v", want, links)
		}
	}
	for l := range links {
		m := hashedName.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("page links %s, want a name with an 8-digit content hash", l)
			continue
		}
		req, _ := http.NewRequest(http.MethodGet, srv.base+l, nil)
		req.Header.Set("Accept-Encoding", "identity")
		res := b.do(req)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", l, res.StatusCode)
			continue
		}
		sum := sha256.Sum256([]byte(res.Body))
		if got := hex.EncodeToString(sum[:])[:8]; got != m[1] {
			t.Errorf("GET %s: content hashes to %s, want the name's %s", l, got, m[1])
		}
		if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s Cache-Control = %q, want public, max-age=31536000, immutable", l, cc)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp == "" {
			t.Errorf("GET %s has no Content-Security-Policy", l)
		}
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Errorf("GET %s has no ETag", l)
			continue
		}
		req, _ = http.NewRequest(http.MethodGet, srv.base+l, nil)
		req.Header.Set("If-None-Match", etag)
		if again := b.do(req); again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s = %d, want 304", l, etag, again.StatusCode)
		}
	}
	for _, tt := range []struct{ path, contentType string }{
		{"/static/vendor/bootstrap/bootstrap.min.", "text/css"},
		{"/static/password-hint.", "text/javascript"},
		{"/static/favicon.", "image/svg+xml"},
	} {
		for l := range links {
			if strings.HasPrefix(l, tt.path) {
				if ct := b.get(l).Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
					t.Errorf("GET %s Content-Type = %q, want %s", l, ct, tt.contentType)
				}
			}
		}
	}

	// A name whose hash matches no version is not found, not the current file.
	if res := b.get("/static/style.00000000.css"); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /static/style.00000000.css = %d, want 404", res.StatusCode)
	}
}

// TestStaticFilesAreCompressed protects the transfer size of the
// stylesheets (Bootstrap's is 230 KB): brotli or gzip, as the browser
// offers, with Vary: Accept-Encoding; pages, which carry a CSRF token next
// to text a visitor controls (BREACH), are never compressed.
func TestStaticFilesAreCompressed(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	b := srv.newBrowser()
	var css string
	for _, l := range staticLinks(b.get("/login").Body) {
		if strings.Contains(l, "bootstrap.min.") {
			css = l
		}
	}
	if css == "" {
		t.Fatal("the login page links no Bootstrap stylesheet")
	}
	fetch := func(path, encoding string) response {
		req, _ := http.NewRequest(http.MethodGet, srv.base+path, nil)
		req.Header.Set("Accept-Encoding", encoding)
		return b.do(req)
	}
	plain := fetch(css, "identity")
	if plain.Header.Get("Content-Encoding") != "" || !strings.Contains(plain.Body, "Bootstrap") {
		t.Fatalf("GET %s without compression: Content-Encoding %q, want the plain stylesheet", css, plain.Header.Get("Content-Encoding"))
	}
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
	}
	for _, tt := range []struct{ accept, want string }{{"br, gzip", "br"}, {"gzip", "gzip"}} {
		res := fetch(css, tt.accept)
		if got := res.Header.Get("Content-Encoding"); got != tt.want {
			t.Errorf("GET %s, Accept-Encoding %q: Content-Encoding = %q, want %q", css, tt.accept, got, tt.want)
			continue
		}
		if vary := res.Header.Get("Vary"); !strings.Contains(vary, "Accept-Encoding") {
			t.Errorf("GET %s (%s): Vary = %q, want Accept-Encoding", css, tt.want, vary)
		}
		if len(res.Body) > len(plain.Body)/4 {
			t.Errorf("GET %s (%s): %d bytes of %d, want at most a quarter", css, tt.want, len(res.Body), len(plain.Body))
		}
		r, err := decoders[tt.want](strings.NewReader(res.Body))
		if err != nil {
			t.Fatalf("%s reader: %v", tt.want, err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, []byte(plain.Body)) {
			t.Errorf("GET %s (%s) does not decode to the stylesheet (err %v)", css, tt.want, err)
		}
	}

	page := fetch("/login", "br, gzip")
	if ce := page.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("GET /login Content-Encoding = %q, want none (BREACH)", ce)
	}
}
