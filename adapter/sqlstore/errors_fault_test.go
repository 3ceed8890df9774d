package sqlstore

import (
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	_ "modernc.org/sqlite"
)

// TestTranslateReadOnlySQLite writes through a read-only connection, a
// real SQLITE_READONLY (root ignores permission bits, so mode=ro stands in
// for a read-only file or mount): it must read as "try again later", a
// 503, not as a bug.
func TestTranslateReadOnlySQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	rw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if _, err := rw.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	ro, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	_, werr := ro.Exec("INSERT INTO t VALUES (1)")
	if werr == nil {
		t.Fatal("INSERT through mode=ro succeeded, want SQLITE_READONLY")
	}
	if got := translate(werr); !errors.Is(got, domain.ErrUnavailable) {
		t.Errorf("translate(%v) = %v, want %v", werr, got, domain.ErrUnavailable)
	}
}
