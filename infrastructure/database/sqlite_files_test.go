//go:build unix

package database

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// permissiveUmask sets the process umask to 022, the usual default, for
// the rest of the test: with it, a file SQLite creates on its own is
// 0644, readable by everyone. The umask belongs to the process, so a test
// that calls it must not be parallel.
func permissiveUmask(t *testing.T) {
	t.Helper()
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
}

// fileModes returns the permission bits of the database file at path and
// of its -wal and -shm files; a missing file fails the test.
func fileModes(t *testing.T, path string) map[string]fs.FileMode {
	t.Helper()
	modes := map[string]fs.FileMode{}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		info, err := os.Stat(path + suffix)
		if err != nil {
			t.Fatalf("stat %s: %v", path+suffix, err)
		}
		modes[filepath.Base(path+suffix)] = info.Mode().Perm()
	}
	return modes
}

// writeRow opens the database at path and writes to it, so that the -wal
// and -shm files exist while db is open.
func writeRow(t *testing.T, path string, log *slog.Logger) {
	t.Helper()
	db, err := openWith("sqlite:"+path, Pool{}, log)
	if err != nil {
		t.Fatalf("Open(sqlite:%s) error = %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
}

// TestSQLiteFilesAreCreatedOwnerOnly protects the hashes, addresses and
// User-Agents in a new database: the file, its -wal and its -shm are
// created 0600 even under a umask that lets everyone read.
func TestSQLiteFilesAreCreatedOwnerOnly(t *testing.T) {
	permissiveUmask(t)
	path := filepath.Join(t.TempDir(), "users.db")
	var logs bytes.Buffer
	writeRow(t, path, slog.New(slog.NewTextHandler(&logs, nil)))
	for name, mode := range fileModes(t, path) {
		if mode != 0o600 {
			t.Errorf("Open(a new database) created %s with mode %#o, want 0600", name, mode)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("Open(a new database) logged %q, want nothing", logs.String())
	}
}

// TestSQLiteFilesReadableByOthersAreTightened protects an existing
// database that others could read: opening it takes the group's and
// others' bits off the file, its -wal and its -shm, and warns about each.
func TestSQLiteFilesReadableByOthersAreTightened(t *testing.T) {
	permissiveUmask(t)
	path := filepath.Join(t.TempDir(), "users.db")
	writeRow(t, path, slog.New(slog.DiscardHandler)) // stays open: -wal and -shm stay
	loose := map[string]fs.FileMode{"users.db": 0o644, "users.db-wal": 0o664, "users.db-shm": 0o666}
	for name, mode := range loose {
		if err := os.Chmod(filepath.Join(filepath.Dir(path), name), mode); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	writeRow(t, path, slog.New(slog.NewTextHandler(&logs, nil))) // as a second instance would
	for name, mode := range fileModes(t, path) {
		if mode != 0o600 {
			t.Errorf("Open(a database with %s %#o) left it %#o, want 0600", name, loose[name], mode)
		}
	}
	for name, mode := range loose {
		want := fmt.Sprintf("file=%s was=%#o now=0600", filepath.Join(filepath.Dir(path), name), mode)
		if !strings.Contains(logs.String(), want) {
			t.Errorf("Open(a database with %s %#o) logged %q, want a warning with %q", name, mode, logs.String(), want)
		}
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 3 {
		t.Errorf("Open(a database with three loose files) logged %d warnings, want 3:\n%s", n, logs.String())
	}
}
