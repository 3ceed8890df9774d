package sqlstore_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/adapter/sqlstore"
	"github.com/gatehouse/gatehouse/infrastructure/database"
	"github.com/gatehouse/gatehouse/test/pgtest"
)

// TestPostgresSchema checks the column types the PostgreSQL migrations
// choose where SQLite has none of its own: identity IDs that refuse a
// caller's value, BOOLEAN flags, BYTEA token hashes, and a canonical
// username compared byte by byte whatever the database's locale.
func TestPostgresSchema(t *testing.T) {
	ctx := context.Background()
	db, err := database.Open(pgtest.Schema(t))
	if err != nil {
		t.Fatalf("database.Open() error = %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := sqlstore.Migrate(ctx, db); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	tests := []struct {
		table, column string
		dataType      string
		identity      string // is_identity and identity_generation, when YES
		collation     string
	}{
		{"users", "id", "bigint", "ALWAYS", ""},
		{"users", "username_canonical", "text", "", "C"},
		{"users", "created_at", "bigint", "", ""},
		{"users", "disabled", "boolean", "", ""},
		{"users", "must_change_password", "boolean", "", ""},
		{"users", "credential_version", "bigint", "", ""},
		{"users", "display_name", "text", "", ""},
		{"sessions", "id", "bigint", "ALWAYS", ""},
		{"sessions", "token_hash", "bytea", "", ""},
		{"sessions", "user_id", "bigint", "", ""},
		{"sessions", "persistent", "boolean", "", ""},
		{"sessions", "expires_at", "bigint", "", ""},
		{"sessions", "previous_login_known", "boolean", "", ""},
		{"sessions", "previous_login_at", "bigint", "", ""},
		{"sessions", "credential_version", "bigint", "", ""},
		{"throttle_events", "id", "bigint", "ALWAYS", ""},
		{"security_events", "id", "bigint", "ALWAYS", ""},
		{"security_events", "user_id", "bigint", "", ""},
		{"login_failures", "last_failure_at", "bigint", "", ""},
		{"users", "email_canonical", "text", "", "C"},
		{"one_time_codes", "id", "bigint", "ALWAYS", ""},
		{"one_time_codes", "code_hash", "bytea", "", ""},
		{"mail_outbox", "id", "bigint", "ALWAYS", ""},
		{"mail_outbox", "next_attempt_at", "bigint", "", ""},
		{"mail_outbox", "claimed_until", "bigint", "", ""},
		{"identities", "id", "bigint", "ALWAYS", ""},
		{"identities", "subject", "text", "", "C"},
		{"social_states", "token_hash", "bytea", "", ""},
		{"social_pending", "email_verified", "boolean", "", ""},
	}
	for _, tt := range tests {
		var dataType, identity, collation string
		err := db.NewRaw("SELECT data_type,"+
			" CASE WHEN is_identity = 'YES' THEN identity_generation ELSE '' END,"+
			" coalesce(collation_name, '')"+
			" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?",
			tt.table, tt.column).Scan(ctx, &dataType, &identity, &collation)
		if err != nil {
			t.Fatalf("column %s.%s: %v", tt.table, tt.column, err)
		}
		if dataType != tt.dataType || identity != tt.identity || collation != tt.collation {
			t.Errorf("%s.%s: type %q, identity %q, collation %q; want %q, %q, %q",
				tt.table, tt.column, dataType, identity, collation, tt.dataType, tt.identity, tt.collation)
		}
	}
	_, err = db.ExecContext(ctx, "INSERT INTO users (id, username, username_canonical, password_hash, created_at) VALUES (7, 'x', 'x', 'h', 0)")
	if err == nil {
		t.Errorf("INSERT INTO users with an ID error = nil, want the identity column to refuse it")
	}
}
