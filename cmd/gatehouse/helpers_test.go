package main

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/app"
	"github.com/gatehouse/gatehouse/infrastructure/config"
	"go.uber.org/fx"
)

// testEnv returns the settings of one test: a database file of its own
// and the cheapest hashing argon2id accepts (8 KiB, one pass).
func testEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{
		"DATABASE_URL":      "sqlite:" + filepath.Join(t.TempDir(), "users.db"),
		"ARGON2_MEMORY_KIB": "8",
		"ARGON2_TIME":       "1",
	}
}

func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// result is what one run of the command line did.
type result struct {
	code           int
	stdout, stderr string
}

// gatehouse runs the command line args with env and stdin as standard input.
func gatehouse(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, lookupIn(env), strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// must runs args like gatehouse and fails the test unless it succeeds
// quietly: exit 0 and nothing on standard error.
func must(t *testing.T, env map[string]string, stdin string, args ...string) string {
	t.Helper()
	r := gatehouse(t, env, stdin, args...)
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("gatehouse %s = %d, stderr %q; want 0 and nothing on stderr", strings.Join(args, " "), r.code, r.stderr)
	}
	return r.stdout
}

// startCore starts the core on env's database, as a second process would,
// and fills targets with its use cases.
func startCore(t *testing.T, env map[string]string, targets ...any) {
	t.Helper()
	cfg, err := config.Load(lookupIn(env))
	if err != nil {
		t.Fatal(err)
	}
	a := fx.New(append(app.Core(cfg),
		fx.NopLogger,
		fx.Decorate(func(*slog.Logger) *slog.Logger { return slog.New(slog.DiscardHandler) }),
		fx.Populate(targets...),
	)...)
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("start the core: %v", err)
	}
	t.Cleanup(func() { _ = a.Stop(context.Background()) })
}

// listRow returns the fields of name's row in the output of user list, or
// nil when it has none.
func listRow(out, name string) []string {
	for _, line := range strings.Split(out, "\n") {
		if fields := strings.Fields(line); len(fields) > 0 && fields[0] == name {
			return fields
		}
	}
	return nil
}
