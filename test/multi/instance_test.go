package multi

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/test/testserver"
)

// buildBinary builds cmd/gatehouse once for the test and returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gatehouse")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/gatehouse")
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/gatehouse: %v\n%s", err, out)
	}
	return bin
}

// instance is one running gatehouse process.
type instance struct {
	name string
	base string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	logs *testserver.Buffer
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done
}

// startInstances starts n processes of bin, all at the same moment, each
// with env on top of a bare environment, and stops them when the test
// ends. Each listens on a port the kernel picks (PORT=0) and names it in
// its log: a port picked by the test and handed over could be taken by a
// server of another test package in between. It returns once every one
// answers, or fails the test.
func startInstances(t *testing.T, bin string, env []string, n int) []*instance {
	t.Helper()
	instances := make([]*instance, n)
	for i := range instances {
		cmd := exec.Command(bin)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "PORT=0"}, env...)
		logs := &testserver.Buffer{}
		cmd.Stdout, cmd.Stderr = logs, logs
		instances[i] = &instance{
			name: string(rune('A' + i)),
			cmd:  cmd,
			logs: logs,
			done: make(chan struct{}),
		}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, len(instances))
	for i, in := range instances {
		wg.Go(func() {
			<-start
			errs[i] = in.cmd.Start()
		})
	}
	close(start)
	wg.Wait()
	for i, in := range instances {
		if errs[i] != nil {
			t.Fatalf("start instance %s: %v", in.name, errs[i])
		}
		go func() {
			in.err = in.cmd.Wait()
			close(in.done)
		}()
		t.Cleanup(func() { in.stop(t) })
	}
	for _, in := range instances {
		in.waitReady(t)
	}
	return instances
}

// listening matches the server's log line naming the address it bound.
var listening = regexp.MustCompile(`msg=listening addr=\S*:(\d+)`)

// waitReady waits for the instance to name its port, then polls the login
// page until it answers 200, for at most 30 s in all.
func (in *instance) waitReady(t *testing.T) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-in.done:
			t.Fatalf("instance %s exited before it answered (%v); its output:\n%s", in.name, in.err, in.logs)
		default:
		}
		if in.base == "" {
			if m := listening.FindStringSubmatch(in.logs.String()); m != nil {
				in.base = "http://127.0.0.1:" + m[1]
			} else {
				time.Sleep(20 * time.Millisecond)
				continue
			}
		}
		if res, err := client.Get(in.base + "/login"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("instance %s did not answer within 30 s; its output:\n%s", in.name, in.logs)
}

// stop sends SIGTERM and expects a clean exit within 15 s.
func (in *instance) stop(t *testing.T) {
	select {
	case <-in.done:
	default:
		_ = in.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-in.done:
			if in.err != nil {
				t.Errorf("instance %s after SIGTERM: %v, want a clean exit; its output:\n%s", in.name, in.err, in.logs)
			}
		case <-time.After(15 * time.Second):
			_ = in.cmd.Process.Kill()
			<-in.done
			t.Errorf("instance %s did not stop within 15 s of SIGTERM; its output:\n%s", in.name, in.logs)
		}
	}
}
