package flaskdb

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// TestConnectionTrustsNothing protects the settings of the connection to
// the file: trusted_schema off (no function that is not innocuous runs
// from the file's schema) and query_only on (no statement writes, even
// one the file could slip in).
func TestConnectionTrustsNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, password TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	f, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open() error = %v", err)
	}
	defer f.Close()
	for pragma, want := range map[string]int{"trusted_schema": 0, "query_only": 1} {
		var got int
		if err := f.db.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || got != want {
			t.Errorf("PRAGMA %s = %d, %v; want %d", pragma, got, err, want)
		}
	}
	if _, err := f.db.Exec("INSERT INTO users (username, password) VALUES ('mallory', 'pw')"); err == nil {
		t.Errorf("INSERT on the file's connection error = nil, want it refused")
	}
}
