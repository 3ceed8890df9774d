package database_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/database"
)

func TestResolvePool(t *testing.T) {
	pg, _ := database.ParseURL("postgres://gatehouse:s3cret@db/gatehouse")
	file, _ := database.ParseURL("sqlite:users.db")
	memory, _ := database.ParseURL("sqlite::memory:")
	tests := []struct {
		name string
		dsn  database.DSN
		in   database.Pool
		want database.Pool
	}{
		{"postgres defaults", pg, database.Pool{}, database.Pool{MaxOpenConns: 10, MaxIdleConns: 10, ConnMaxLifetime: 30 * time.Minute}},
		{"postgres open only", pg, database.Pool{MaxOpenConns: 25}, database.Pool{MaxOpenConns: 25, MaxIdleConns: 25, ConnMaxLifetime: 30 * time.Minute}},
		{"postgres open below the idle default", pg, database.Pool{MaxOpenConns: 3}, database.Pool{MaxOpenConns: 3, MaxIdleConns: 3, ConnMaxLifetime: 30 * time.Minute}},
		{"postgres all set", pg, database.Pool{MaxOpenConns: 20, MaxIdleConns: 5, ConnMaxLifetime: time.Hour}, database.Pool{MaxOpenConns: 20, MaxIdleConns: 5, ConnMaxLifetime: time.Hour}},
		{"postgres idle only", pg, database.Pool{MaxIdleConns: 2}, database.Pool{MaxOpenConns: 10, MaxIdleConns: 2, ConnMaxLifetime: 30 * time.Minute}},
		{"sqlite file defaults", file, database.Pool{}, database.Pool{MaxOpenConns: 4, MaxIdleConns: 4}},
		{"sqlite file set", file, database.Pool{MaxOpenConns: 8, ConnMaxLifetime: time.Hour}, database.Pool{MaxOpenConns: 8, MaxIdleConns: 8, ConnMaxLifetime: time.Hour}},
		{"sqlite memory", memory, database.Pool{}, database.Pool{MaxOpenConns: 1, MaxIdleConns: 1}},
	}
	for _, tt := range tests {
		got, err := database.ResolvePool(tt.dsn, tt.in)
		if err != nil || got != tt.want {
			t.Errorf("%s: ResolvePool(%+v) = %+v, %v, want %+v", tt.name, tt.in, got, err, tt.want)
		}
	}
}

func TestResolvePoolRejects(t *testing.T) {
	pg, _ := database.ParseURL("postgres://gatehouse:s3cret@db/gatehouse")
	memory, _ := database.ParseURL("sqlite::memory:")
	tests := []struct {
		dsn  database.DSN
		in   database.Pool
		want string
	}{
		{pg, database.Pool{MaxOpenConns: 5, MaxIdleConns: 6}, "DATABASE_MAX_IDLE_CONNS (6) must not exceed DATABASE_MAX_OPEN_CONNS (5)"},
		{pg, database.Pool{MaxIdleConns: 11}, "DATABASE_MAX_IDLE_CONNS (11) must not exceed DATABASE_MAX_OPEN_CONNS (10)"},
		{pg, database.Pool{MaxOpenConns: -1}, "must not be negative"},
		{pg, database.Pool{ConnMaxLifetime: -time.Second}, "must not be negative"},
		{memory, database.Pool{MaxOpenConns: 2}, "do not apply to sqlite::memory:"},
		{memory, database.Pool{ConnMaxLifetime: time.Hour}, "do not apply to sqlite::memory:"},
	}
	for _, tt := range tests {
		_, err := database.ResolvePool(tt.dsn, tt.in)
		if err == nil || !strings.HasPrefix(err.Error(), "database: ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ResolvePool(%s, %+v) error = %v, want one saying %q", tt.dsn, tt.in, err, tt.want)
		}
	}
}

func TestOpenFileWithPool(t *testing.T) {
	raw := "sqlite:" + t.TempDir() + "/users.db"
	db, err := database.OpenWith(raw, database.Pool{MaxOpenConns: 7})
	if err != nil {
		t.Fatalf("OpenWith(%q, 7 connections) error = %v", raw, err)
	}
	defer db.Close()
	if got := db.Stats().MaxOpenConnections; got != 7 {
		t.Errorf("MaxOpenConnections = %d, want 7 as configured", got)
	}
}
