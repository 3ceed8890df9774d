package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/usecase"
)

// TestImportFlaskFromTheSeedApp imports a users.db that the Flask app
// itself created (../shared/peers/flask_seed), so a change to its schema
// shows here. It needs python3 with flask and skips without them.
func TestImportFlaskFromTheSeedApp(t *testing.T) {
	t.Parallel()
	// The test runs in cmd/gatehouse; the seed is ../shared/peers/flask_seed
	// from the module root.
	moduleRoot := filepath.Join("..", "..")
	seed, err := filepath.Abs(filepath.Join(moduleRoot, "..", "shared", "peers", "flask_seed"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(seed, "app.py")); err != nil {
		t.Skipf("the Flask seed app is not at %s: %v", seed, err)
	}
	python := pythonWithFlask()
	if python == "" {
		t.Skip("no python3 with flask (apt-get install python3-flask); CI installs it")
	}
	path := filepath.Join(t.TempDir(), "users.db")
	create := exec.Command(python, "-c", "import app")
	create.Dir = seed
	create.Env = append(os.Environ(), "DB_PATH="+path, "PYTHONDONTWRITEBYTECODE=1")
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("DB_PATH=%s python3 -c 'import app': %v\n%s", path, err, out)
	}
	// Rows go in as the Flask app's signup inserts them.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range flaskUsers {
		if _, err := db.Exec("INSERT INTO users (username, password) VALUES (?, ?)", u[0], u[1]); err != nil {
			t.Fatalf("insert into the seed app's table: %v", err)
		}
	}
	db.Close()

	env := testEnv(t)
	r := gatehouse(t, env, "", "import-flask", path)
	if r.code != exitOK {
		t.Fatalf("gatehouse import-flask on the seed app's users.db = %d, stderr %q", r.code, r.stderr)
	}
	checkCounts(t, "import of the seed app's users.db", importCounts(t, r.stdout), [6]string{"2", "1", "0", "1", "1", "0"})
	var auth *usecase.Authenticator
	startCore(t, env, &auth)
	if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: "Alice", Password: "wonderland-2024"}); err != nil {
		t.Errorf("Login(Alice, her Flask password) error = %v, want nil", err)
	}
}

// pythonWithFlask returns the first python3 that can import flask: the one
// on PATH, else Debian's (python3-flask installs there), else "".
func pythonWithFlask() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import flask").Run() == nil {
			return py
		}
	}
	return ""
}
