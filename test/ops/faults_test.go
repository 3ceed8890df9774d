package ops

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDatabaseLockedByAnotherProcess holds SQLite's write lock from a
// second connection (BEGIN EXCLUSIVE), as a backup tool or a stuck
// process would. Writes on the site and the API answer 503 with
// Retry-After and no internals, /readyz fails, and once the lock is
// released everything works again without a restart. (Permission bits do
// not stop root, whom these tests run as; a lock or a full disk does.)
func TestDatabaseLockedByAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.db")
	p := start(t, path, cheapHashing...)
	client := &http.Client{Timeout: 30 * time.Second}

	unlock := lockDatabase(t, path)

	res := siteSignup(t, p, "lockeduser")
	checkUnavailable(t, "site signup while locked", res.status, res.header, res.body)
	st, body, err := call(client, http.MethodPost, p.base+"/api/v1/users", "", map[string]any{"username": "lockedapi", "password": "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	if st != http.StatusServiceUnavailable || !strings.Contains(string(body), `"code":"unavailable"`) {
		t.Errorf("API signup while locked = %d %s, want 503 with code unavailable", st, body)
	}
	if r, err := http.Get(p.base + "/readyz"); err != nil || r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Errorf("GET /readyz while locked = %v %v, want 503 with Retry-After", r.StatusCode, err)
	}

	unlock()
	waitReady(t, p)
	if st, body, _ := call(client, http.MethodPost, p.base+"/api/v1/users", "", map[string]any{"username": "lockedapi", "password": "correct horse battery staple"}); st != http.StatusCreated {
		t.Errorf("API signup after the lock is gone = %d %s, want 201", st, body)
	}
	checkNoPanic(t, p)
}

// TestDiskFull puts the database on a small tmpfs and fills it. Writes
// answer 503 with Retry-After (never a 500 or a panic), and after the
// filler is removed signups work again without a restart. It needs to
// mount a tmpfs (root with CAP_SYS_ADMIN) and skips, saying so, where it
// cannot.
func TestDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs for a full disk (needs root and CAP_SYS_ADMIN): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	path := filepath.Join(dir, "users.db")
	p := start(t, path, cheapHashing...)
	client := &http.Client{Timeout: 30 * time.Second}

	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	full := false
	i := 0
	for ; i < 3000 && !full; i++ {
		st, body, err := call(client, http.MethodPost, p.base+"/api/v1/users", "", map[string]any{"username": fmt.Sprintf("full-%d", i), "password": "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		switch st {
		case http.StatusCreated:
		case http.StatusServiceUnavailable:
			full = true
			if !strings.Contains(string(body), `"code":"unavailable"`) {
				t.Errorf("API signup on a full disk = 503 %s, want code unavailable", body)
			}
		default:
			t.Fatalf("API signup on a full disk = %d %s, want 201 or 503", st, body)
		}
	}
	if !full {
		t.Fatal("no signup failed on a full disk")
	}
	t.Logf("the disk was full after %d signups", i)
	res := siteSignup(t, p, "fulluser")
	if res.status != http.StatusSeeOther {
		checkUnavailable(t, "site signup on a full disk", res.status, res.header, res.body)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	ok := false
	for i := 0; i < 50 && !ok; i++ {
		st, _, _ := call(client, http.MethodPost, p.base+"/api/v1/users", "", map[string]any{"username": fmt.Sprintf("freed-%d", i), "password": "correct horse battery staple"})
		ok = st == http.StatusCreated
	}
	if !ok {
		t.Error("signups still fail after the disk has room again")
	}
	waitReady(t, p)
	p.signal(syscall.SIGTERM)
	if err := p.wait(30 * time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	checkIntegrity(t, path)
	checkNoPanic(t, p)
}

// fill writes to path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := make([]byte, 64<<10)
	for {
		if _, err := f.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill: %v", err)
			}
			return
		}
	}
}

type pageResponse struct {
	status int
	header http.Header
	body   string
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// siteSignup signs up through the HTML form, as a browser does.
func siteSignup(t *testing.T, p *process, name string) pageResponse {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(p.base + "/signup")
	if err != nil {
		t.Fatal(err)
	}
	page := readBody(t, res)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("GET /signup = %d without a CSRF token", res.StatusCode)
	}
	form := url.Values{"username": {name}, "password": {"correct horse battery staple"}, "csrf_token": {m[1]}}
	req, _ := http.NewRequest(http.MethodPost, p.base+"/signup", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", p.base)
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return pageResponse{res.StatusCode, res.Header, readBody(t, res)}
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkUnavailable wants a 503 page with Retry-After that names no cause.
func checkUnavailable(t *testing.T, what string, status int, header http.Header, body string) {
	t.Helper()
	if status != http.StatusServiceUnavailable || header.Get("Retry-After") == "" {
		t.Errorf("%s = %d, Retry-After %q; want 503 with Retry-After", what, status, header.Get("Retry-After"))
	}
	for _, leak := range []string{"SQL", "sqlite", "locked", "disk", "database"} {
		if strings.Contains(body, leak) {
			t.Errorf("%s: page shows %q, want no internals", what, leak)
		}
	}
}

func waitReady(t *testing.T, p *process) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(p.base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("/readyz not 200 within 30s after the fault cleared")
}

func checkNoPanic(t *testing.T, p *process) {
	t.Helper()
	if strings.Contains(p.stderr.String(), "panic") {
		t.Errorf("gatehouse logged a panic:\n%s", p.stderr.String())
	}
}
