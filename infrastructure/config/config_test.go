package config_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/config"
	"github.com/gatehouse/gatehouse/infrastructure/database"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatalf("Load(no variables) error = %v", err)
	}
	want := config.Default()
	if c.Addr != ":5000" || c.DatabaseURL != "sqlite:users.db" || c.CookieSecure ||
		c.SessionIdleTimeout != 30*time.Minute || c.SessionAbsoluteTimeout != 12*time.Hour ||
		c.RememberMeDuration != 720*time.Hour || c.LastVisitMaxAge != 720*time.Hour ||
		c.Argon2MemoryKiB != 19456 || c.Argon2Time != 2 || c.Argon2Threads != 1 ||
		c.TrustedProxies != nil || c.LoginMaxFailures != 5 || c.LoginIPMaxFailuresPerHour != 100 || c.LoginAccountMaxFailuresPerHour != 20 || c.SignupMaxPerIPPerHour != 20 ||
		c.DatabasePool() != (database.Pool{}) ||
		c.LogFormat != "text" || c.LogLevel != slog.LevelInfo || c.MetricsAddr != "" || c.ShutdownTimeout != 15*time.Second {
		t.Errorf("Load(no variables) = %+v, want the documented defaults %+v", c, want)
	}
	if !c.SecretKeyGenerated || len(c.SecretKey) < config.MinSecretKeyLen {
		t.Errorf("Load(no SECRET_KEY): generated = %v, %d bytes; want a generated key of at least %d bytes", c.SecretKeyGenerated, len(c.SecretKey), config.MinSecretKeyLen)
	}
	other, _ := config.Load(env(nil))
	if string(other.SecretKey) == string(c.SecretKey) {
		t.Errorf("two generated SECRET_KEYs are equal, want random ones")
	}
}

func TestLoadReadsEveryVariable(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"PORT":                                "7860",
		"LISTEN_HOST":                         "127.0.0.1",
		"DATABASE_URL":                        "postgres://gatehouse:s3cret@db.internal:5432/gatehouse?sslmode=verify-full",
		"DATABASE_MAX_OPEN_CONNS":             "20",
		"DATABASE_MAX_IDLE_CONNS":             "5",
		"DATABASE_CONN_MAX_LIFETIME":          "1h",
		"SECRET_KEY":                          strings.Repeat("k", 40),
		"COOKIE_SECURE":                       "true",
		"REQUIRE_2FA_FOR_ADMINS":              "true",
		"SESSION_IDLE_TIMEOUT":                "15m",
		"SESSION_ABSOLUTE_TIMEOUT":            "8h",
		"REMEMBER_ME_DURATION":                "168h",
		"LAST_VISIT_MAX_AGE":                  "24h",
		"ARGON2_MEMORY_KIB":                   "65536",
		"ARGON2_TIME":                         "3",
		"ARGON2_THREADS":                      "4",
		"TRUSTED_PROXIES":                     "10.0.0.1, 192.168.0.0/16,::1",
		"LOGIN_MAX_FAILURES":                  "3",
		"LOGIN_IP_MAX_FAILURES_PER_HOUR":      "50",
		"LOGIN_ACCOUNT_MAX_FAILURES_PER_HOUR": "9",
		"SIGNUP_MAX_PER_IP_PER_HOUR":          "7",
		"LOG_FORMAT":                          "JSON",
		"LOG_LEVEL":                           "debug",
		"METRICS_ADDR":                        "127.0.0.1:9090",
		"SHUTDOWN_TIMEOUT":                    "30s",
	}))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Addr", c.Addr, "127.0.0.1:7860"},
		{"DatabaseURL", c.DatabaseURL, "postgres://gatehouse:s3cret@db.internal:5432/gatehouse?sslmode=verify-full"},
		{"DatabasePool", c.DatabasePool(), database.Pool{MaxOpenConns: 20, MaxIdleConns: 5, ConnMaxLifetime: time.Hour}},
		{"SecretKey", string(c.SecretKey), strings.Repeat("k", 40)},
		{"SecretKeyGenerated", c.SecretKeyGenerated, false},
		{"CookieSecure", c.CookieSecure, true},
		{"Require2FAForAdmins", c.Require2FAForAdmins, true},
		{"SessionIdleTimeout", c.SessionIdleTimeout, 15 * time.Minute},
		{"SessionAbsoluteTimeout", c.SessionAbsoluteTimeout, 8 * time.Hour},
		{"RememberMeDuration", c.RememberMeDuration, 168 * time.Hour},
		{"LastVisitMaxAge", c.LastVisitMaxAge, 24 * time.Hour},
		{"Argon2MemoryKiB", c.Argon2MemoryKiB, uint32(65536)},
		{"Argon2Time", c.Argon2Time, uint32(3)},
		{"Argon2Threads", c.Argon2Threads, uint8(4)},
		{"TrustedProxies", fmt.Sprint(c.TrustedProxies), "[10.0.0.1/32 192.168.0.0/16 ::1/128]"},
		{"LoginMaxFailures", c.LoginMaxFailures, 3},
		{"LoginIPMaxFailuresPerHour", c.LoginIPMaxFailuresPerHour, 50},
		{"LoginAccountMaxFailuresPerHour", c.LoginAccountMaxFailuresPerHour, 9},
		{"SignupMaxPerIPPerHour", c.SignupMaxPerIPPerHour, 7},
		{"LogFormat", c.LogFormat, "json"},
		{"LogLevel", c.LogLevel, slog.LevelDebug},
		{"MetricsAddr", c.MetricsAddr, "127.0.0.1:9090"},
		{"ShutdownTimeout", c.ShutdownTimeout, 30 * time.Second},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadRejectsInconsistentSettings(t *testing.T) {
	tests := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"SESSION_IDLE_TIMEOUT": "13h"}, "SESSION_IDLE_TIMEOUT"},
		{map[string]string{"ARGON2_MEMORY_KIB": "16", "ARGON2_THREADS": "4"}, "ARGON2_MEMORY_KIB"},
		{map[string]string{"DATABASE_URL": "postgres://u:hunter2@db"}, "DATABASE_URL names no database"},
		{map[string]string{"DATABASE_URL": "postgres://u:hunter2@db/x?sslmode=prefer"}, "sslmode"},
		{map[string]string{"DATABASE_URL": "mysql://u:hunter2@db/x"}, "DATABASE_URL has an unsupported scheme"},
		{map[string]string{"DATABASE_MAX_OPEN_CONNS": "0"}, "DATABASE_MAX_OPEN_CONNS must be a whole number from 1 to 10000"},
		{map[string]string{"DATABASE_MAX_OPEN_CONNS": "many"}, "DATABASE_MAX_OPEN_CONNS"},
		{map[string]string{"DATABASE_MAX_IDLE_CONNS": "-1"}, "DATABASE_MAX_IDLE_CONNS"},
		{map[string]string{"DATABASE_CONN_MAX_LIFETIME": "forever"}, "DATABASE_CONN_MAX_LIFETIME must be a positive Go duration"},
		{map[string]string{"DATABASE_CONN_MAX_LIFETIME": "-5m"}, "DATABASE_CONN_MAX_LIFETIME"},
		{map[string]string{"DATABASE_URL": "postgres://u:hunter2@db/x", "DATABASE_MAX_OPEN_CONNS": "4", "DATABASE_MAX_IDLE_CONNS": "8"},
			"DATABASE_MAX_IDLE_CONNS (8) must not exceed DATABASE_MAX_OPEN_CONNS (4)"},
		{map[string]string{"DATABASE_MAX_IDLE_CONNS": "5"}, "DATABASE_MAX_IDLE_CONNS (5) must not exceed DATABASE_MAX_OPEN_CONNS (4)"}, // a SQLite file's default
		{map[string]string{"DATABASE_URL": "sqlite::memory:", "DATABASE_MAX_OPEN_CONNS": "2"}, "do not apply to sqlite::memory:"},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.1,proxy.example"}, "TRUSTED_PROXIES"},
		{map[string]string{"LOGIN_MAX_FAILURES": "0"}, "LOGIN_MAX_FAILURES"},
		{map[string]string{"LOGIN_IP_MAX_FAILURES_PER_HOUR": "-5"}, "LOGIN_IP_MAX_FAILURES_PER_HOUR"},
		{map[string]string{"LOGIN_ACCOUNT_MAX_FAILURES_PER_HOUR": "0"}, "LOGIN_ACCOUNT_MAX_FAILURES_PER_HOUR"},
		{map[string]string{"SIGNUP_MAX_PER_IP_PER_HOUR": "many"}, "SIGNUP_MAX_PER_IP_PER_HOUR"},
		{map[string]string{"LOG_FORMAT": "xml"}, "LOG_FORMAT must be one of text, json"},
		{map[string]string{"LOG_LEVEL": "verbose"}, "LOG_LEVEL must be one of debug, info, warn, error"},
		{map[string]string{"LISTEN_HOST": "localhost"}, "LISTEN_HOST must be an IP address to listen on"},
		{map[string]string{"LISTEN_HOST": "127.0.0.1:80"}, "LISTEN_HOST"},
		{map[string]string{"METRICS_ADDR": "9090"}, "METRICS_ADDR must be a HOST:PORT address"},
		{map[string]string{"METRICS_ADDR": "localhost:http"}, "METRICS_ADDR"},
		{map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, "SHUTDOWN_TIMEOUT must be a positive Go duration"},
	}
	for _, tt := range tests {
		_, err := config.Load(env(tt.vars))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%v) error = %v, want one naming %s", tt.vars, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Load(%v) error = %v echoes a password", tt.vars, err)
		}
	}
}

// TestLoadHost binds the listener to one address when LISTEN_HOST says so, and
// to every interface otherwise.
func TestLoadHost(t *testing.T) {
	tests := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{}, ":5000"},
		{map[string]string{"PORT": "0"}, ":0"},
		{map[string]string{"LISTEN_HOST": "127.0.0.1"}, "127.0.0.1:5000"},
		{map[string]string{"LISTEN_HOST": "::1", "PORT": "8080"}, "[::1]:8080"},
		{map[string]string{"LISTEN_HOST": "0.0.0.0"}, "0.0.0.0:5000"},
	}
	for _, tt := range tests {
		c, err := config.Load(env(tt.vars))
		if err != nil {
			t.Fatalf("Load(%v) error = %v", tt.vars, err)
		}
		if c.Addr != tt.want {
			t.Errorf("Load(%v).Addr = %q, want %q", tt.vars, c.Addr, tt.want)
		}
	}
}
