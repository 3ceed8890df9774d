package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// listening matches the server's log line that names its port (PORT=0
// lets the kernel pick a free one, so two runs never collide).
var listening = regexp.MustCompile(`msg=listening addr=\S*:(\d+)`)

// buildServer compiles cmd/gatehouse into dir and returns the binary.
func buildServer(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "gatehouse")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/gatehouse")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gatehouse: %w\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot is the directory holding gatehouse's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the benchmark inside the gatehouse module")
	}
	return filepath.Dir(mod), nil
}

// server is one running gatehouse process.
type server struct {
	cmd       *exec.Cmd
	base      string        // http://127.0.0.1:PORT
	coldStart time.Duration // process start to the first 200 of GET /login
	logPath   string
	exited    chan struct{}
}

// serverEnv is the environment of a benchmarked server: the defaults but
// for the database, a fixed secret and a kernel-picked port.
func serverEnv(dbPath, secret string) []string {
	env := []string{
		"DATABASE_URL=sqlite:" + dbPath,
		"SECRET_KEY=" + secret,
		"PORT=0",
		"LISTEN_HOST=127.0.0.1",
	}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PATH", "HOME", "TMPDIR", "GOMAXPROCS", "GOGC", "GOMEMLIMIT", "METRICS_ADDR", "PPROF_ADDR":
			env = append(env, kv)
		}
	}
	return env
}

// runCLI runs a gatehouse subcommand against the same database.
func runCLI(ctx context.Context, bin string, env []string, stdin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("gatehouse %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// startServer starts bin with env, logging into logPath, and returns once
// GET /login has answered 200; the time that took is its cold start.
func startServer(ctx context.Context, bin string, env []string, logPath string) (*server, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()

	deadline := time.Now().Add(60 * time.Second)
	// A server given its port (one at LOG_LEVEL=warn does not log the
	// "listening" line) is found there; one on PORT=0 by its log.
	port := ""
	for _, kv := range env {
		if p, ok := strings.CutPrefix(kv, "PORT="); ok {
			port = p
		}
	}
	if port == "0" {
		port = ""
	}
	for port == "" {
		if m := listening.FindSubmatch(readFile(logPath)); m != nil {
			port = string(m[1])
			break
		}
		if err := s.waitStep(ctx, deadline); err != nil {
			return nil, err
		}
	}
	s.base = "http://127.0.0.1:" + port
	client := &http.Client{Timeout: time.Second, CheckRedirect: noRedirects}
	for {
		resp, err := client.Get(s.base + "/login")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.coldStart = time.Since(start)
				return s, nil
			}
		}
		if err := s.waitStep(ctx, deadline); err != nil {
			return nil, err
		}
	}
}

// waitStep sleeps a millisecond, or fails when the server died, the
// deadline passed or ctx ended; on failure it stops the process.
func (s *server) waitStep(ctx context.Context, deadline time.Time) error {
	select {
	case <-s.exited:
		return fmt.Errorf("server exited during start:\n%s", tail(readFile(s.logPath), 2000))
	case <-ctx.Done():
		s.stop()
		return ctx.Err()
	case <-time.After(time.Millisecond):
	}
	if time.Now().After(deadline) {
		s.stop()
		return fmt.Errorf("server not ready within a minute:\n%s", tail(readFile(s.logPath), 2000))
	}
	return nil
}

// stop ends the server with SIGTERM (a clean shutdown), or kills it
// after 30 s.
func (s *server) stop() { terminate(s.cmd.Process, s.exited) }

// terminate sends p SIGTERM and waits until exited is closed, killing p
// if that takes more than 30 s.
func terminate(p *os.Process, exited <-chan struct{}) {
	_ = p.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = p.Kill()
		<-exited
	}
}

// memory is a process's resident set size now and at its peak, in bytes.
type memory struct{ rss, peak int64 }

// readMemory reads VmRSS and VmHWM (the peak resident set over the
// process's life) from /proc.
func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("parse %s %q: %w", name, value, err)
		}
		if name == "VmRSS" {
			m.rss = kb << 10
		} else {
			m.peak = kb << 10
		}
	}
	if m.rss == 0 {
		return memory{}, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return m, sc.Err()
}

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func readFile(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// freePort returns a loopback port that was free a moment ago, for a
// server that cannot name the one the kernel picked for it.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}
