package main

import (
	"strings"
	"testing"
)

func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	for _, cmd := range commands {
		args := append(strings.Fields(cmd.name), "--help")
		r := gatehouse(t, env, "", args...)
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "Usage: gatehouse "+cmd.name) || r.stderr != "" {
			t.Errorf("gatehouse %s = %d, stdout %q, stderr %q; want 0 and the command's usage on stdout", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
	for _, group := range []string{"user", "sessions", "hash"} {
		for _, help := range []string{"--help", "-h", "help"} {
			r := gatehouse(t, env, "", group, help)
			if r.code != exitOK || !strings.Contains(r.stdout, "Usage: gatehouse "+group+" COMMAND") {
				t.Errorf("gatehouse %s %s = %d, stdout %q; want 0 and the group's commands", group, help, r.code, r.stdout)
			}
		}
	}
	top := gatehouse(t, env, "", "help")
	for _, cmd := range commands {
		if !strings.Contains(top.stdout, cmd.name) {
			t.Errorf("gatehouse help does not list %q:\n%s", cmd.name, top.stdout)
		}
	}
}

// TestUsageErrors protects scripts: a command line gatehouse cannot run
// exits 2 with a message and the usage, having touched nothing.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		stdin   string
		wantMsg string
	}{
		{[]string{"frobnicate"}, "", `unknown command "frobnicate"`},
		{[]string{"user"}, "", "user: missing command"},
		{[]string{"user", "frob"}, "", `unknown command "user frob"`},
		{[]string{"sessions", "list"}, "", `unknown command "sessions list"`},
		{[]string{"user", "list", "--bogus"}, "", "flag provided but not defined: -bogus"},
		{[]string{"user", "list", "extra"}, "", `unexpected argument "extra"`},
		{[]string{"user", "list", "--page", "0"}, "", "--page must be 1 or more"},
		{[]string{"user", "list", "--page", "two"}, "", "invalid value"},
		{[]string{"user", "create"}, "", "missing argument: NAME"},
		{[]string{"user", "create", "alice", "bob", "--password-stdin"}, "pw", `unexpected argument "bob"`},
		{[]string{"user", "create", "alice"}, "", "not a terminal: pass --password-stdin"},
		{[]string{"user", "passwd", "alice"}, "", "not a terminal: pass --password-stdin"},
		{[]string{"user", "role", "alice"}, "", "missing argument: NAME admin|user"},
		{[]string{"user", "role", "alice", "boss"}, "", `the role must be admin or user, got "boss"`},
		{[]string{"sessions", "revoke"}, "", "missing argument: NAME"},
		{[]string{"migrate", "now"}, "", `unexpected argument "now"`},
		{[]string{"hash", "calibrate", "--target", "0s"}, "", "--target must be above 0"},
		{[]string{"hash", "calibrate", "--threads", "0"}, "", "--threads must be 1 to 255"},
		{[]string{"import-flask"}, "", "missing argument: PATH"},
		{[]string{"serve", "--port", "80"}, "", "flag provided but not defined: -port"},
	}
	env := testEnv(t)
	for _, tt := range tests {
		r := gatehouse(t, env, tt.stdin, tt.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tt.wantMsg) {
			t.Errorf("gatehouse %s = %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, exitUsage, tt.wantMsg)
		}
		if tt.wantMsg != "not a terminal: pass --password-stdin" && !strings.Contains(r.stderr, "Usage: gatehouse") {
			t.Errorf("gatehouse %s: stderr %q, want the usage after the message", strings.Join(tt.args, " "), r.stderr)
		}
	}
}

func TestCommandsRejectInvalidSettings(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	env["ARGON2_TIME"] = "zero"
	for _, args := range [][]string{{"user", "list"}, {"migrate"}, {"import-flask", "users.db"}, {"sessions", "revoke", "alice"}} {
		r := gatehouse(t, env, "", args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "ARGON2_TIME") {
			t.Errorf("gatehouse %s with ARGON2_TIME=zero = %d, stderr %q; want %d and the variable named", strings.Join(args, " "), r.code, r.stderr, exitUsage)
		}
	}
}

func TestParseTakesFlagsAnywhere(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args      []string
		wantPos   []string
		wantAdmin bool
	}{
		{[]string{"alice"}, []string{"alice"}, false},
		{[]string{"--admin", "alice"}, []string{"alice"}, true},
		{[]string{"alice", "--admin"}, []string{"alice"}, true},
		{[]string{"alice", "-admin=true"}, []string{"alice"}, true},
		{[]string{"--", "-alice-"}, []string{"-alice-"}, false},
		{[]string{"--admin", "--", "-alice-"}, []string{"-alice-"}, true},
	}
	for _, tt := range tests {
		cl := (&cli{}).command("user create", "NAME", "")
		admin := cl.fs.Bool("admin", false, "")
		pos, err := cl.parse(tt.args, 1)
		if err != nil || strings.Join(pos, ",") != strings.Join(tt.wantPos, ",") || *admin != tt.wantAdmin {
			t.Errorf("parse(%q) = %q, admin %v, %v; want %q, admin %v", tt.args, pos, *admin, err, tt.wantPos, tt.wantAdmin)
		}
	}
}
