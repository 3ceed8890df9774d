package ops

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// idleRSSLimitKiB is the resident memory an idle server must stay under
// (the performance issue's target: 40 MiB).
const idleRSSLimitKiB = 40 << 10

// TestIdleMemory protects the idle footprint: a server that has started
// and answered its readiness probe, with the default Argon2id parameters,
// must stay under 40 MiB resident. It fails if start-up garbage (the
// decoy hash's 19 MiB work area) stays resident or something big is
// built at start again.
func TestIdleMemory(t *testing.T) {
	p := start(t, filepath.Join(t.TempDir(), "users.db"))
	time.Sleep(1500 * time.Millisecond)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Skipf("no /proc to read resident memory from: %v", err)
	}
	rss := procStatusKiB(t, status, "VmRSS")
	t.Logf("idle: VmRSS %d KiB, RssAnon %d KiB, RssFile %d KiB",
		rss, procStatusKiB(t, status, "RssAnon"), procStatusKiB(t, status, "RssFile"))
	if rss >= idleRSSLimitKiB {
		t.Errorf("idle VmRSS = %d KiB, want under %d KiB", rss, idleRSSLimitKiB)
	}
}

// procStatusKiB returns the field name ("VmRSS") of a /proc/PID/status
// file, in KiB.
func procStatusKiB(t *testing.T, status []byte, name string) int {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		field, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || field != name {
			continue
		}
		kib, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB"))
		if err != nil {
			t.Fatalf("/proc status %s = %q: %v", name, value, err)
		}
		return kib
	}
	t.Fatalf("/proc status has no %s", name)
	return 0
}
