//go:build unix

package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestCommandsCreateTheDatabaseOwnerOnly protects a database that a
// command creates, before the server ever runs: under a umask that lets
// everyone read, gatehouse migrate and gatehouse import-flask leave
// users.db readable by its owner only. The umask belongs to the process:
// this test is not parallel (the parallel tests start after it ends).
func TestCommandsCreateTheDatabaseOwnerOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	flask := writeFlaskDB(t, [][2]string{{"dave", "a fine long passphrase"}})
	for _, args := range [][]string{{"migrate"}, {"import-flask", flask}} {
		env := testEnv(t)
		must(t, env, "", args...)
		path := strings.TrimPrefix(env["DATABASE_URL"], "sqlite:")
		info, err := os.Stat(path)
		if err != nil {
			t.Fatalf("gatehouse %s did not create %s: %v", args[0], path, err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("gatehouse %s created %s with mode %#o, want 0600", args[0], path, mode)
		}
	}
}
