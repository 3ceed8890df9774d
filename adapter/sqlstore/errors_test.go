package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// TestTranslate covers the errors that no test database can be made to
// produce on demand; the contract suite (test/contract) covers the rest
// with real SQLite and PostgreSQL errors.
func TestTranslate(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("pgdriver: query: %w", err) }
	tests := []struct {
		name string
		err  error
		want error // nil: returned unchanged
	}{
		{"no rows", sql.ErrNoRows, domain.ErrNotFound},
		{"wrapped no rows", wrap(sql.ErrNoRows), domain.ErrNotFound},
		{"server closed the connection", io.EOF, domain.ErrUnavailable},
		{"connection cut mid-message", wrap(io.ErrUnexpectedEOF), domain.ErrUnavailable},
		{"bad connection", driver.ErrBadConn, domain.ErrUnavailable},
		{"connection done", sql.ErrConnDone, domain.ErrUnavailable},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, domain.ErrUnavailable},
		{"reset", wrap(syscall.ECONNRESET), domain.ErrUnavailable},
		{"read timeout", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, domain.ErrUnavailable},
		{"dns", &net.DNSError{Err: "no such host", Name: "db.internal", IsNotFound: true}, domain.ErrUnavailable},
		{"caller gave up", context.Canceled, nil},
		{"caller's deadline", wrap(context.DeadlineExceeded), nil},
		{"anything else", errors.New("syntax error"), nil},
	}
	for _, tt := range tests {
		got := translate(tt.err)
		switch {
		case tt.want == nil && got != tt.err:
			t.Errorf("translate(%s: %v) = %v, want it unchanged", tt.name, tt.err, got)
		case tt.want != nil && !errors.Is(got, tt.want):
			t.Errorf("translate(%s: %v) = %v, want %v", tt.name, tt.err, got, tt.want)
		case tt.want == domain.ErrUnavailable && !errors.Is(got, tt.err):
			t.Errorf("translate(%s: %v) = %v, want it to wrap the driver's error too", tt.name, tt.err, got)
		}
	}
	if translate(nil) != nil {
		t.Errorf("translate(nil) = %v, want nil", translate(nil))
	}
}

// TestPostgresTransientStates pins the SQLSTATEs that read as "try again
// later": every code the store promises, and no class that means a bug.
func TestPostgresTransientStates(t *testing.T) {
	for _, code := range []string{"40001", "40P01", "55P03", "53300", "57P01", "57P03", "08006"} {
		if _, ok := pgTransient[code]; !ok {
			t.Errorf("SQLSTATE %s is not transient, want it to read as domain.ErrUnavailable", code)
		}
	}
	for _, code := range []string{pgUniqueViolation, pgForeignKeyViolation, "42601", "42P01", "22001", "28P01", "3D000"} {
		if _, ok := pgTransient[code]; ok {
			t.Errorf("SQLSTATE %s is transient, want it left alone: retrying will not help", code)
		}
	}
}
