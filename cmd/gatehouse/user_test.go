package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

// step is one command line and what it must answer.
type step struct {
	args     []string
	stdin    string
	wantCode int
	wantOut  string // in stdout
	wantErr  string // in stderr
}

func runSteps(t *testing.T, env map[string]string, steps []step) {
	t.Helper()
	for _, s := range steps {
		r := gatehouse(t, env, s.stdin, s.args...)
		cmd := "gatehouse " + strings.Join(s.args, " ")
		if r.code != s.wantCode {
			t.Errorf("%s = %d, want %d; stdout %q, stderr %q", cmd, r.code, s.wantCode, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, s.wantOut) {
			t.Errorf("%s: stdout %q, want %q in it", cmd, r.stdout, s.wantOut)
		}
		if (s.wantErr == "" && r.stderr != "") || !strings.Contains(r.stderr, s.wantErr) {
			t.Errorf("%s: stderr %q, want %q", cmd, r.stderr, s.wantErr)
		}
	}
}

func TestUserCreate(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	runSteps(t, env, []step{
		{[]string{"user", "create", "root", "--admin", "--password-stdin"}, "correct horse battery\n", exitOK, "created admin root", ""},
		{[]string{"user", "create", "--password-stdin", "alice"}, "wonderland-2024\r\n", exitOK, "created user alice", ""},
		{[]string{"user", "create", "bob", "--password-stdin"}, "short\n", exitFailed, "", "password: Password must be at least 12 characters long."},
		{[]string{"user", "create", "carol", "--password-stdin"}, "carol-carol-carol\n", exitFailed, "", "Password must not contain your username."},
		{[]string{"user", "create", "dave", "--password-stdin"}, "", exitFailed, "", "standard input: it is empty"},
		{[]string{"user", "create", "ALICE", "--password-stdin"}, "another long password\n", exitFailed, "", `cannot create user "ALICE": the name is taken`},
		{[]string{"user", "create", "bad name!", "--password-stdin"}, "another long password\n", exitFailed, "", "username: Username may contain only letters"},
		{[]string{"user", "create", "r\u043e\u043et", "--password-stdin"}, "another long password\n", exitFailed, "", "username: Use letters from one script"}, // Cyrillic о
		{[]string{"user", "create", "aIice", "--password-stdin"}, "another long password\n", exitFailed, "", `cannot create user "aIice": the name is taken`},  // capital I for l
	})
	out := must(t, env, "", "user", "list")
	if row := listRow(out, "root"); len(row) < 3 || row[1] != "admin" || row[2] != "active" {
		t.Errorf("user list: root's row %q, want an active admin\n%s", row, out)
	}
	if row := listRow(out, "alice"); len(row) < 3 || row[1] != "user" || row[2] != "active" {
		t.Errorf("user list: alice's row %q, want an active user\n%s", row, out)
	}
	for _, refused := range []string{"bob", "carol", "dave", "ALICE", "aIice"} {
		if listRow(out, refused) != nil {
			t.Errorf("user list shows %s, whose creation was refused:\n%s", refused, out)
		}
	}

	// The password came from stdin without its line ending.
	var auth *usecase.Authenticator
	startCore(t, env, &auth)
	if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "wonderland-2024"}); err != nil {
		t.Errorf("Login(alice, the password given to user create) error = %v, want nil", err)
	}
}

func TestUserAdministration(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "correct horse battery\n", "user", "create", "root", "--admin", "--password-stdin")
	must(t, env, "wonderland-2024\n", "user", "create", "alice", "--password-stdin")

	var (
		auth *usecase.Authenticator
		adm  *usecase.Admin
	)
	startCore(t, env, &auth, &adm)
	for range 2 {
		if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "wonderland-2024"}); err != nil {
			t.Fatalf("Login(alice) error = %v", err)
		}
	}
	if row := listRow(must(t, env, "", "user", "list"), "alice"); len(row) == 0 || row[len(row)-1] != "2" {
		t.Errorf("user list: alice's row %q, want 2 sessions after two logins", row)
	}

	runSteps(t, env, []step{
		{[]string{"user", "role", "root", "user"}, "", exitFailed, "", "only enabled admin"},
		{[]string{"user", "disable", "root"}, "", exitFailed, "", "only enabled admin"},
		{[]string{"user", "delete", "root"}, "", exitFailed, "", "only enabled admin"},
		{[]string{"sessions", "revoke", "alice"}, "", exitOK, "ended 2 sessions of alice", ""},
		{[]string{"sessions", "revoke", "alice"}, "", exitOK, "ended 0 sessions of alice", ""},
		{[]string{"sessions", "revoke", "nobody"}, "", exitFailed, "", `no user named "nobody"`},
		{[]string{"user", "role", "alice", "admin"}, "", exitOK, "alice is now an admin", ""},
		{[]string{"user", "role", "root", "user"}, "", exitOK, "root is now a user", ""},
		{[]string{"user", "disable", "alice"}, "", exitFailed, "", "only enabled admin"},
		{[]string{"user", "disable", "root"}, "", exitOK, "disabled root", ""},
		{[]string{"user", "enable", "nobody"}, "", exitFailed, "", `no user named "nobody"`},
	})
	out := must(t, env, "", "user", "list")
	if row := listRow(out, "alice"); len(row) < 3 || row[1] != "admin" || row[2] != "active" {
		t.Errorf("user list: alice's row %q, want an active admin after user role alice admin\n%s", row, out)
	}
	if row := listRow(out, "root"); len(row) < 3 || row[1] != "user" || row[2] != "disabled" {
		t.Errorf("user list: root's row %q, want a disabled user after role and disable\n%s", row, out)
	}
	if row := listRow(out, "alice"); len(row) < 6 || row[len(row)-1] != "0" || row[len(row)-3] == "never" {
		t.Errorf("user list: alice's row %q, want no sessions after sessions revoke, and a last login", row)
	}

	must(t, env, "", "user", "enable", "root")
	if row := listRow(must(t, env, "", "user", "list"), "root"); len(row) < 3 || row[2] != "active" {
		t.Errorf("user list: root's row %q, want active after user enable", row)
	}
	must(t, env, "", "user", "delete", "root")
	if out := must(t, env, "", "user", "list"); listRow(out, "root") != nil {
		t.Errorf("user list shows root after user delete:\n%s", out)
	}
	if _, err := adm.ByName(context.Background(), usecase.Operator, "root"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("ByName(root) after user delete error = %v, want domain.ErrNotFound", err)
	}
}

func TestUserPasswd(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	must(t, env, "wonderland-2024\n", "user", "create", "alice", "--password-stdin")
	runSteps(t, env, []step{
		{[]string{"user", "passwd", "alice", "--password-stdin"}, "alice-in-chains\n", exitFailed, "", "Password must not contain your username."},
		{[]string{"user", "passwd", "nobody", "--password-stdin"}, "looking-glass-1871\n", exitFailed, "", `no user named "nobody"`},
		{[]string{"user", "passwd", "alice", "--password-stdin"}, "looking-glass-1871\n", exitOK, "set the password of alice", ""},
	})
	var auth *usecase.Authenticator
	startCore(t, env, &auth)
	if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "looking-glass-1871"}); err != nil {
		t.Errorf("Login(alice, new password) error = %v, want nil", err)
	}
	if _, err := auth.Login(context.Background(), usecase.LoginInput{Username: "alice", Password: "wonderland-2024"}); !errors.Is(err, domain.ErrInvalidCredentials) {
		t.Errorf("Login(alice, old password) error = %v, want domain.ErrInvalidCredentials", err)
	}
}

func TestUserListPagesAndSearch(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	var adm *usecase.Admin
	startCore(t, env, &adm)
	names := []string{}
	for i := range usecase.AdminPageSize + 3 {
		name := string(rune('a'+i%26)) + "-user-" + string(rune('a'+i/26))
		names = append(names, name)
		if _, err := adm.Create(context.Background(), usecase.Operator, name, "a fine long password", domain.RoleUser, usecase.Client{}); err != nil {
			t.Fatal(err)
		}
	}
	first := must(t, env, "", "user", "list")
	second := must(t, env, "", "user", "list", "--page", "2")
	if !strings.Contains(first, "page 1 of 2") || !strings.Contains(second, "users 21-23 of 23 (page 2 of 2)") {
		t.Errorf("user list pages: footers\n%s\n%s\nwant page 1 of 2 and users 21-23 of 23", first, second)
	}
	for _, name := range names {
		if (listRow(first, name) != nil) == (listRow(second, name) != nil) {
			t.Errorf("user list: %s is on %s pages, want exactly one", name, map[bool]string{true: "both", false: "neither"}[listRow(first, name) != nil])
		}
	}
	found := must(t, env, "", "user", "list", "--search", "C-USER")
	if listRow(found, "c-user-a") == nil || listRow(found, "a-user-a") != nil {
		t.Errorf("user list --search C-USER:\n%s\nwant c-user-a only", found)
	}
	if out := must(t, env, "", "user", "list", "--search", "zzz"); !strings.Contains(out, `no user's name contains "zzz"`) {
		t.Errorf("user list --search zzz = %q, want it to say none matched", out)
	}
	if out := must(t, env, "", "user", "list", "--page", "9"); !strings.Contains(out, "no page 9: 23 users on 2 pages") {
		t.Errorf("user list --page 9 = %q, want it to say the page does not exist", out)
	}
}
