package ops

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/testserver"
)

var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

// TestMain removes the binary that the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds cmd/gatehouse once per test run.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gatehouse-ops-")
		if err != nil {
			buildErr = err
			return
		}
		binDir, binPath = dir, filepath.Join(dir, "gatehouse")
		out, err := exec.Command("go", "build", "-o", binPath, "../../cmd/gatehouse").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// process is one running gatehouse binary.
type process struct {
	t       *testing.T
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:PORT
	metrics string // host:port of the metrics listener
	stderr  *testserver.Buffer
	done    chan struct{}
	err     error // set when done is closed
}

// start runs the binary with a SQLite file database at dbPath and the
// extra variables, and waits until /readyz answers 200. The server and
// the metrics listener bind ports the kernel picks (0) and the test reads
// them from the log: a port picked by the test and handed over could be
// taken meanwhile by a server of another test package.
func start(t *testing.T, dbPath string, env ...string) *process {
	t.Helper()
	p := launch(t, dbPath, env...)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if p.base == "" {
			logs := p.stderr.String()
			if port := boundPort(logs, "listening"); port != "" {
				p.base = "http://127.0.0.1:" + port
			}
			if port := boundPort(logs, "metrics listening"); port != "" {
				p.metrics = "127.0.0.1:" + port
			}
		}
		var err error
		if p.base != "" && p.metrics != "" {
			var res *http.Response
			res, err = http.Get(p.base + "/readyz")
			if err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					return p
				}
			}
		}
		select {
		case <-p.done:
			t.Fatalf("gatehouse exited before it was ready: %v\n%s", p.err, p.stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("gatehouse not ready after 60s: %v\n%s", err, p.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// launch runs the binary as start does, without waiting for anything.
func launch(t *testing.T, dbPath string, env ...string) *process {
	t.Helper()
	cmd := exec.Command(binary(t))
	cmd.Dir = t.TempDir()
	cmd.Env = append(baseEnv(),
		"PORT=0",
		"METRICS_ADDR=127.0.0.1:0",
		"DATABASE_URL=sqlite:"+dbPath,
		"SECRET_KEY=ops-test-secret-key-of-at-least-32-bytes",
		"LOG_LEVEL=debug",
	)
	cmd.Env = append(cmd.Env, env...)
	p := &process{t: t, cmd: cmd, stderr: &testserver.Buffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
		if t.Failed() {
			t.Logf("gatehouse stderr:\n%s", p.stderr.String())
		}
	})
	return p
}

// boundPort finds, in text or JSON log output, the port of the log line
// with message msg and an addr attribute.
func boundPort(logs, msg string) string {
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`msg="?` + regexp.QuoteMeta(msg) + `"? addr=\S*:(\d+)`),
		regexp.MustCompile(`"msg":"` + regexp.QuoteMeta(msg) + `","addr":"[^"]*:(\d+)"`),
	} {
		if m := re.FindStringSubmatch(logs); m != nil {
			return m[1]
		}
	}
	return ""
}

// wait waits for the process to exit and returns its error (nil for
// status 0).
func (p *process) wait(timeout time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.t.Fatalf("gatehouse still running %s later", timeout)
		return nil
	}
}

func (p *process) signal(s syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(s); err != nil {
		p.t.Fatal(err)
	}
}

// metric returns the metrics listener's text.
func (p *process) metricsText() (string, error) {
	res, err := http.Get("http://" + p.metrics + "/metrics")
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

// call sends a JSON request to the API and returns the status and body.
func call(client *http.Client, method, url, token string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// baseEnv is the test's environment without gatehouse's variables.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ARGON2_") || strings.HasPrefix(name, "LOG_") || strings.HasPrefix(name, "DATABASE_") ||
			name == "PORT" || name == "SECRET_KEY" || name == "COOKIE_SECURE" || name == "METRICS_ADDR" || name == "SHUTDOWN_TIMEOUT" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// lockDatabase takes the SQLite file at path's lock from this process, as
// another program holding it would: BEGIN EXCLUSIVE on a connection of its
// own. The returned unlock rolls back; the connection closes with t.
func lockDatabase(t *testing.T, path string) (unlock func()) {
	t.Helper()
	other, err := database.Open("sqlite:" + path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	ctx := context.Background()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatalf("BEGIN EXCLUSIVE: %v", err)
	}
	return func() {
		t.Helper()
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatalf("ROLLBACK: %v", err)
		}
	}
}
