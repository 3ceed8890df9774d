package ops

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestJSONLogsAreJSONThroughout runs the binary with LOG_FORMAT=json at
// debug level, from start to SIGTERM, and parses every line of its
// standard error: fx's own events included, nothing may break a log
// shipper's parser.
func TestJSONLogsAreJSONThroughout(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "users.db"), "LOG_FORMAT=json")
	res, err := http.Get(p.base + "/login?next=%2Faccount")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	p.signal(syscall.SIGTERM)
	if err := p.wait(30 * time.Second); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	var requests int
	for _, line := range strings.Split(strings.TrimSpace(p.stderr.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("log line is not JSON (%v): %s", err, line)
			continue
		}
		if entry["msg"] == "request" && entry["route"] == "/login" && entry["status"] == float64(200) {
			requests++
		}
	}
	if requests != 1 {
		t.Errorf("found %d JSON request lines for GET /login, want 1:\n%s", requests, p.stderr.String())
	}
}
