package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/database"
)

// cheapHashing keeps argon2id fast, so the load is about the database.
var cheapHashing = []string{"ARGON2_MEMORY_KIB=1024", "ARGON2_TIME=1", "SIGNUP_MAX_PER_IP_PER_HOUR=1000000"}

// TestCrashKeepsEveryAcknowledgedWrite kills the server with SIGKILL in
// the middle of a signup and login load, restarts it on the same SQLite
// file, and checks that every signup that was acknowledged (201) exists
// and logs in, that every session issued before the crash still works,
// and that SQLite's integrity check passes.
func TestCrashKeepsEveryAcknowledgedWrite(t *testing.T) {
	const workers, perWorker = 4, 40
	db := filepath.Join(t.TempDir(), "users.db")
	p := start(t, db, cheapHashing...)
	client := &http.Client{Timeout: 10 * time.Second}

	var (
		mu       sync.Mutex
		accounts []string              // acknowledged signups
		tokens   = map[string]string{} // acknowledged logins: token -> user
		acked    atomic.Int64
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				name := fmt.Sprintf("crash-%d-%d", w, i)
				creds := map[string]any{"username": name, "password": "correct horse battery staple"}
				st, _, err := call(client, http.MethodPost, p.base+"/api/v1/users", "", creds)
				if err != nil {
					return // the server is gone
				}
				if st != http.StatusCreated {
					continue
				}
				mu.Lock()
				accounts = append(accounts, name)
				mu.Unlock()
				acked.Add(1)
				st, body, err := call(client, http.MethodPost, p.base+"/api/v1/sessions", "", creds)
				if err != nil {
					return
				}
				var s struct{ Token string }
				if st == http.StatusCreated && json.Unmarshal(body, &s) == nil {
					mu.Lock()
					tokens[s.Token] = name
					mu.Unlock()
				}
			}
		}()
	}
	for deadline := time.Now().Add(time.Minute); acked.Load() < workers*perWorker/3; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d signups acknowledged in a minute", acked.Load())
		}
		time.Sleep(time.Millisecond)
	}
	p.signal(syscall.SIGKILL)
	wg.Wait()
	_ = p.wait(10 * time.Second)
	if len(accounts) == 0 || len(tokens) == 0 {
		t.Fatalf("no acknowledged signups (%d) or logins (%d) before the crash", len(accounts), len(tokens))
	}
	t.Logf("killed after %d acknowledged signups and %d logins", len(accounts), len(tokens))

	checkIntegrity(t, db)
	p = start(t, db, cheapHashing...)
	for token, name := range tokens {
		st, body, err := call(client, http.MethodGet, p.base+"/api/v1/me", token, nil)
		if err != nil || st != http.StatusOK {
			t.Errorf("GET /me with %s's pre-crash token = %d %s %v, want 200", name, st, body, err)
		}
	}
	for _, name := range accounts {
		creds := map[string]any{"username": name, "password": "correct horse battery staple"}
		if st, body, err := call(client, http.MethodPost, p.base+"/api/v1/sessions", "", creds); err != nil || st != http.StatusCreated {
			t.Errorf("login as %s after the crash = %d %s %v, want 201: its signup was acknowledged", name, st, body, err)
		}
	}
	p.signal(syscall.SIGTERM)
	if err := p.wait(30 * time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	checkIntegrity(t, db)
}

// checkIntegrity runs PRAGMA integrity_check on the SQLite file.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := database.Open("sqlite:" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var result string
	if err := db.NewRaw("PRAGMA integrity_check").Scan(context.Background(), &result); err != nil {
		t.Fatalf("PRAGMA integrity_check: %v", err)
	}
	if result != "ok" {
		t.Errorf("PRAGMA integrity_check = %q, want ok", result)
	}
}
