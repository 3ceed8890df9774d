package sqlstore_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// dialectDirs are the migration directories, one per database.
var dialectDirs = []string{"migrations/sqlite", "migrations/postgres"}

// migrationFiles returns the names of the .sql files in dir, sorted.
func migrationFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("ReadDir(%s) error = %v", dir, err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestMigrationsHaveDownFiles(t *testing.T) {
	for _, dir := range dialectDirs {
		names := migrationFiles(t, dir)
		var ups int
		for _, name := range names {
			base, ok := strings.CutSuffix(name, ".up.sql")
			if !ok {
				continue
			}
			ups++
			if down := base + ".down.sql"; !slices.Contains(names, down) {
				t.Errorf("migration %s/%s has no %s", dir, name, down)
			}
		}
		if ups == 0 {
			t.Errorf("%s holds no .up.sql files", dir)
		}
	}
}

// TestMigrationsMatchAcrossDialects checks that every database has the
// same steps under the same names: bun_migrations then reads the same on
// both, and a step added for one is not forgotten for the other.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	want := migrationFiles(t, dialectDirs[0])
	for _, dir := range dialectDirs[1:] {
		if got := migrationFiles(t, dir); !slices.Equal(got, want) {
			t.Errorf("%s holds %q, want the same steps as %s: %q", dir, got, dialectDirs[0], want)
		}
	}
}
