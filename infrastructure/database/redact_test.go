package database_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/database"
)

func TestRedact(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"sqlite:users.db", "sqlite:users.db"},
		{"sqlite::memory:", "sqlite::memory:"},
		{"postgres://gatehouse:s3cret@db:5432/gatehouse?sslmode=disable", "postgres://gatehouse:xxxxx@db:5432/gatehouse?sslmode=disable"},
		{"postgres://gatehouse@db/gatehouse", "postgres://gatehouse@db/gatehouse"},
		{"postgres://gatehouse@db/gatehouse?password=s3cret", "postgres://gatehouse@db/gatehouse?password=xxxxx"},
		{"postgres://gatehouse:s3c%ret@db/gatehouse", "postgres://(malformed URL not shown)"},
		{"postgres://gatehouse:s3c#ret@db/gatehouse", "postgres://(malformed URL not shown)"},
		{"postgres://gatehouse:12/34@db/gatehouse", "postgres://(malformed URL not shown)"},
	}
	for _, tt := range tests {
		if got := database.Redact(tt.raw); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}
