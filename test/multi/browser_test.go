package multi

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browser is an HTTP client with one cookie jar for every instance. All
// instances are on 127.0.0.1, and cookies do not tell ports apart (RFC
// 6265, section 8.5), so the jar sends each instance the cookies another
// set: what a browser does with one site behind a load balancer.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(client.CloseIdleConnections)
	return &browser{t: t, client: client}
}

// response is a finished HTTP exchange.
type response struct {
	status   int
	location string
	body     string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body)}
}

func (b *browser) get(in *instance, path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, in.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits form to in as the site's own pages do, with a same-origin
// Origin header; form carries its own csrf_token.
func (b *browser) post(in *instance, path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, in.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", in.base)
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrfToken loads page from in and returns the CSRF token of its form.
func (b *browser) csrfToken(in *instance, page string) string {
	b.t.Helper()
	res := b.get(in, page)
	m := csrfInput.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s on instance %s: status %d and no CSRF token, want a form", page, in.name, res.status)
	}
	return m[1]
}

// cookie returns the value of the jar's cookie named name, or "".
func (b *browser) cookie(in *instance, name string) string {
	u, _ := url.Parse(in.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
