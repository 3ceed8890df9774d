package ops

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestGracefulShutdown sends SIGTERM while a slow login (argon2id with
// many passes) is in flight: the login still gets its normal answer, new
// connections are refused, the database is closed cleanly (SQLite folds
// and removes its WAL file) and the exit status is 0. SIGINT is the
// same signal to fx; it is checked for the exit status only.
func TestGracefulShutdown(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "users.db")
			p := start(t, db, "ARGON2_TIME=40", "ARGON2_MEMORY_KIB=19456")
			client := &http.Client{Timeout: 2 * time.Minute}
			creds := map[string]any{"username": "slowpoke", "password": "correct horse battery staple"}
			if st, body, err := call(client, http.MethodPost, p.base+"/api/v1/users", "", creds); err != nil || st != http.StatusCreated {
				t.Fatalf("signup = %d %s %v, want 201", st, body, err)
			}

			type answer struct {
				status int
				err    error
			}
			login := make(chan answer, 1)
			go func() {
				st, _, err := call(client, http.MethodPost, p.base+"/api/v1/sessions", "", creds)
				login <- answer{st, err}
			}()
			waitHashing(t, p)
			p.signal(sig)

			refused, accepted := false, 0
			var dialErr error
			for i := 0; i < 2000 && !refused; i++ {
				c, err := net.DialTimeout("tcp", strings.TrimPrefix(p.base, "http://"), time.Second)
				if err != nil {
					// A reset at connect is a refusal too: the SYN reached the
					// backlog just before the listener closed, and the
					// kernel reset it rather than the server accepting it.
					refused = errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
					dialErr = err
					break
				}
				accepted++
				c.Close()
				time.Sleep(5 * time.Millisecond)
			}
			if !refused {
				t.Errorf("new connections still accepted after %s (%d accepted, then %v)", sig, accepted, dialErr)
			}
			a := <-login
			if a.err != nil || a.status != http.StatusCreated {
				t.Errorf("login in flight during %s = %d, %v; want its normal 201", sig, a.status, a.err)
			}
			if err := p.wait(30 * time.Second); err != nil {
				t.Errorf("exit after %s: %v, want status 0", sig, err)
			}
			if _, err := os.Stat(db + "-wal"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("users.db-wal still there after %s (%v): the database was not closed cleanly", sig, err)
			}
		})
	}
}

// waitHashing waits until the metrics say a hash is running: the login
// is in flight.
func waitHashing(t *testing.T, p *process) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		text, err := p.metricsText()
		if err == nil && strings.Contains(text, "\ngatehouse_password_hash_running 1") {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("no hash running 30s after the login was sent")
}

// TestSignalDuringStartStopsCleanly sends SIGTERM while the start is
// still running (a start hook, the migration, waits for a database that
// another process has locked): the signal must not kill the process; it
// finishes starting once the lock is gone, then stops cleanly, status 0.
func TestSignalDuringStartStopsCleanly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.db")
	migrate := exec.Command(binary(t), "migrate")
	migrate.Env = append(baseEnv(), "DATABASE_URL=sqlite:"+path)
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("gatehouse migrate: %v\n%s", err, out)
	}
	unlock := lockDatabase(t, path)

	p := launch(t, path, cheapHashing...)
	// The signal is sent once the start hooks run (fx logs each at debug
	// level), not after a fixed pause: on a loaded machine the graph may
	// take longer than any pause to build, and a signal before serve
	// catches signals would end the process, proving nothing. The
	// migration then waits for the lock (up to the 5 s busy timeout).
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(p.stderr.String(), "OnStart hook executing") {
		if time.Now().After(deadline) {
			t.Fatalf("no start hook ran 30 s after launch\n%s", p.stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(p.stderr.String(), "database ready") {
		t.Fatal("the migration did not wait for the lock; the test proves nothing")
	}
	p.signal(syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond)
	unlock()
	if err := p.wait(30 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM during the start: %v, want status 0\n%s", err, p.stderr.String())
	}
}
