package main

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// flaskSchema is the table the Flask app creates (see
// ../shared/peers/flask_seed).
const flaskSchema = `CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT,
 username TEXT UNIQUE NOT NULL, password TEXT NOT NULL)`

// flaskUsers are the accounts of the test's Flask database, in id order.
var flaskUsers = [][2]string{
	{"dave", "a fine long passphrase"}, // imported
	{"Alice", "wonderland-2024"},       // imported
	{"alice", "other-password-42"},     // clashes with Alice
	{"bad name!", "whatever long pw"},  // invalid name
	{"bob", "password1"},               // imported, weak
}

// writeFlaskDB creates a users.db as the Flask app writes it, in a
// temporary directory.
func writeFlaskDB(t *testing.T, users [][2]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "flask-users.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(flaskSchema); err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if _, err := db.Exec("INSERT INTO users (username, password) VALUES (?, ?)", u[0], u[1]); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// importCounts reads the counts of an import-flask report.
func importCounts(t *testing.T, out string) map[string]string {
	t.Helper()
	counts := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  ((?:imported|already|skipped)[^\d]*?) +(\d+)$`).FindAllStringSubmatch(out, -1) {
		counts[m[1]] = m[2]
	}
	if len(counts) != 6 {
		t.Fatalf("import-flask report %q: found counts %v, want six", out, counts)
	}
	return counts
}

func checkCounts(t *testing.T, run string, got map[string]string, want [6]string) {
	t.Helper()
	labels := []string{"imported", "imported, weak password flagged", "already imported", "skipped: name clash", "skipped: invalid name", "skipped: unreadable row"}
	for i, l := range labels {
		if got[l] != want[i] {
			t.Errorf("%s: %s = %s, want %s", run, l, got[l], want[i])
		}
	}
}

func TestImportFlask(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	path := writeFlaskDB(t, flaskUsers)
	first := gatehouse(t, env, "", "import-flask", path)
	if first.code != exitOK {
		t.Fatalf("gatehouse import-flask = %d, stderr %q", first.code, first.stderr)
	}
	checkCounts(t, "first import", importCounts(t, first.stdout), [6]string{"2", "1", "0", "1", "1", "0"})
	for _, want := range []string{
		"row 3: \"alice\": the name is taken by the account \"Alice\"",
		"row 4: \"bad name!\": Username may contain only letters",
		"row 5: \"bob\": Password must be at least 12 characters long.",
	} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("first import report lacks %q:\n%s", want, first.stdout)
		}
	}

	var (
		auth *usecase.Authenticator
		adm  *usecase.Admin
	)
	startCore(t, env, &auth, &adm)
	for _, u := range [][2]string{flaskUsers[0], flaskUsers[1], flaskUsers[4]} {
		if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: u[0], Password: u[1]}); err != nil {
			t.Errorf("Login(%s, Flask password) error = %v, want nil", u[0], err)
		}
	}
	if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "other-password-42"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login(alice, the skipped row's password) error = %v, want domain.ErrInvalidCredentials", err)
	}
	for name, want := range map[string]bool{"bob": true, "dave": false, "Alice": false} {
		u, err := adm.ByName(context.Background(), usecase.Operator, name)
		if err != nil || u.MustChangePassword != want {
			t.Errorf("ByName(%s) = MustChangePassword %v, %v; want %v", name, u.MustChangePassword, err, want)
		}
	}

	second := gatehouse(t, env, "", "import-flask", path)
	if second.code != exitOK {
		t.Fatalf("second gatehouse import-flask = %d, stderr %q", second.code, second.stderr)
	}
	checkCounts(t, "second import", importCounts(t, second.stdout), [6]string{"0", "0", "3", "1", "1", "0"})
	page, err := adm.List(context.Background(), usecase.Operator, "", 0)
	if err != nil || page.Total != 3 {
		t.Errorf("accounts after two imports: %d, %v; want 3", page.Total, err)
	}
}

func TestImportFlaskRejectsUnreadableFiles(t *testing.T) {
	t.Parallel()
	notSQLite := filepath.Join(t.TempDir(), "users.db")
	if err := os.WriteFile(notSQLite, []byte("id,username,password\n1,alice,secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noTable := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", "file:"+noTable)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE accounts (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A users that is a view is refused unread: this one recursed forever
	// when import-flask counted it.
	recursiveView := filepath.Join(t.TempDir(), "view.db")
	db, err = sql.Open("sqlite", "file:"+recursiveView)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE VIEW users AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
		SELECT x AS id, 'user' || x AS username, 'password' AS password FROM c`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(t.TempDir(), "nope.db"), "no such file"},
		{"not SQLite", notSQLite, "not a SQLite database"},
		{"no users table", noTable, "no users table"},
		{"users view", recursiveView, "users is not a table"},
	}
	for _, tt := range tests {
		env := testEnv(t)
		start := time.Now()
		r := gatehouse(t, env, "", "import-flask", tt.path)
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("import-flask of a %s took %s, want it refused at once", tt.name, took)
		}
		if r.code != exitFailed || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, tt.path) {
			t.Errorf("import-flask of a %s = %d, stderr %q; want 1, %q and the path", tt.name, r.code, r.stderr, tt.want)
		}
		if _, err := os.Stat(strings.TrimPrefix(env["DATABASE_URL"], "sqlite:")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("import-flask of a %s touched the gatehouse database (stat: %v), want it left alone", tt.name, err)
		}
	}
}

// TestImportFlaskQuotesEveryName protects the operator's terminal and the
// report's lines: every name from the file is printed quoted, so one with
// a newline, a carriage return or a terminal escape cannot forge a line
// or move the cursor; a row too big to read is skipped, counted and named
// by its id, never read.
func TestImportFlaskQuotesEveryName(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	path := writeFlaskDB(t, [][2]string{
		{"Alice", "wonderland-2024"},                    // imported
		{"\r\nALICE\n", "other-password-42"},            // clashes with Alice once trimmed
		{"bob\t", "password1"},                          // imported, weak; the tab is trimmed
		{"eve\x1b[2J", "a fine long passphrase"},        // invalid name
		{strings.Repeat("m", 2000), "another long one"}, // over the limit: skipped unread
	})
	r := gatehouse(t, env, "", "import-flask", path)
	if r.code != exitOK {
		t.Fatalf("gatehouse import-flask = %d, stderr %q", r.code, r.stderr)
	}
	checkCounts(t, "import", importCounts(t, r.stdout), [6]string{"1", "1", "0", "1", "1", "1"})
	for _, want := range []string{
		`row 2: "\r\nALICE\n": the name is taken by the account "Alice"`,
		`row 3: "bob\t": Password must be at least 12 characters long.`,
		`row 4: "eve\x1b[2J": Username may contain only letters`,
		"row 5: the username is 2000 bytes long, more than 1024",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import-flask report lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.ContainsAny(r.stdout, "\r\t\x1b") || strings.Contains(r.stdout, "mmmm") {
		t.Errorf("import-flask report %q holds a raw control character or the unread name", r.stdout)
	}
}
