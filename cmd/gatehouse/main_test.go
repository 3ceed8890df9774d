package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRunRejectsInvalidSettings(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value, wantForm string }{
		{"PORT", "eighty", "TCP port"},
		{"PORT", "70000", "TCP port"},
		{"DATABASE_URL", "mysql://x", "sqlite:PATH"},
		{"SECRET_KEY", "short", "at least 32"},
		{"COOKIE_SECURE", "maybe", "true or false"},
		{"SESSION_IDLE_TIMEOUT", "30", "Go duration"},
		{"SESSION_ABSOLUTE_TIMEOUT", "-1h", "Go duration"},
		{"REMEMBER_ME_DURATION", "a month", "Go duration"},
		{"LAST_VISIT_MAX_AGE", "0s", "Go duration"},
		{"ARGON2_MEMORY_KIB", "lots", "whole number"},
		{"ARGON2_TIME", "0", "whole number"},
		{"ARGON2_THREADS", "300", "whole number"},
		{"LOG_FORMAT", "xml", "text, json"},
		{"LOG_LEVEL", "loud", "debug, info, warn, error"},
		{"METRICS_ADDR", "9090", "HOST:PORT"},
		{"SHUTDOWN_TIMEOUT", "soon", "Go duration"},
		{"MAIL_URL", "smtp://u:hunter2@mail.example.org?tls=none", "loopback host"},
		{"MAIL_URL", "pop3://mail.example.org", "smtp://USER:PASSWORD@HOST:PORT"},
		{"MAIL_FROM", "nobody", "email address"},
		{"PUBLIC_URL", "example.org", "http or https URL"},
		{"WEBAUTHN_RP_ID", "192.0.2.1", "not an IP address"},
		{"WEBAUTHN_ORIGINS", "ftp://localhost", "origins"},
	}
	for _, tt := range tests {
		env := map[string]string{tt.name: tt.value}
		lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
		var stdout, stderr bytes.Buffer
		code := run(nil, lookup, strings.NewReader(""), &stdout, &stderr)
		if code != exitUsage {
			t.Errorf("%s=%q: exit code %d, want %d", tt.name, tt.value, code, exitUsage)
		}
		msg := stderr.String()
		if !strings.Contains(msg, tt.name) || !strings.Contains(msg, tt.wantForm) {
			t.Errorf("%s=%q: message %q, want it to name the variable and %q", tt.name, tt.value, msg, tt.wantForm)
		}
		if (tt.name == "SECRET_KEY" || tt.name == "MAIL_URL") && strings.Contains(msg, tt.value) {
			t.Errorf("SECRET_KEY message echoes the secret: %q", msg)
		}
	}
}

func TestRunCommandLine(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	none := func(string) (string, bool) { return "", false }
	if code := run([]string{"frobnicate"}, none, strings.NewReader(""), &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "Usage") {
		t.Errorf("run(frobnicate) = %d, stderr %q; want %d and the usage", code, stderr.String(), exitUsage)
	}
	stdout.Reset()
	if code := run([]string{"--help"}, none, strings.NewReader(""), &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "DATABASE_URL") {
		t.Errorf("run(--help) = %d, stdout %q; want 0 and the usage", code, stdout.String())
	}
}

// TestBinaryServesOnTheDefaults builds the binary and runs it the way the
// README says, with no settings but PORT: it creates users.db in its
// working directory, serves the login page, warns about the generated
// SECRET_KEY, and exits 0 on SIGTERM.
func TestBinaryServesOnTheDefaults(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "gatehouse")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	port := freePort(t)
	cmd := exec.Command(bin)
	cmd.Dir = dir
	cmd.Env = append(filteredEnv(), fmt.Sprintf("PORT=%d", port))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	url := fmt.Sprintf("http://127.0.0.1:%d/login", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(url)
		if err == nil {
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET /login = %d, want 200", res.StatusCode)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never answered: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dir, "users.db")); err != nil {
		t.Errorf("default database users.db not created in the working directory: %v", err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("server did not stop within 15s of SIGTERM")
	}
	if !strings.Contains(stderr.String(), "SECRET_KEY is not set") {
		t.Errorf("no warning about the generated SECRET_KEY; stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "MAIL_URL is not set") {
		t.Errorf("no warning about the pickup directory MAIL_URL defaults to; stderr:\n%s", stderr.String())
	}
}

func TestBinaryFailsOnATakenPort(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", ".")
	cmd.Env = append(filteredEnv(), fmt.Sprintf("PORT=%d", port), "DATABASE_URL=sqlite::memory:")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("gatehouse started on a taken port; output:\n%s", out)
	}
	if !strings.Contains(string(out), "listen on") {
		t.Errorf("output %q does not say the listen failed", out)
	}
}

// filteredEnv is the test's environment without gatehouse's variables.
func filteredEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "PORT", "DATABASE_URL", "SECRET_KEY", "COOKIE_SECURE", "MAIL_URL", "MAIL_FROM", "PUBLIC_URL", "WEBAUTHN_RP_ID", "WEBAUTHN_ORIGINS":
			continue
		}
		env = append(env, kv)
	}
	return env
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
