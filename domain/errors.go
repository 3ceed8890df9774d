package domain

import (
	"errors"
	"sort"
	"strings"
)

// Sentinel errors shared by every layer. Adapters translate driver errors
// into these; the web adapter maps them to HTTP statuses in one table.
var (
	// ErrNotFound reports that a looked-up record does not exist.
	ErrNotFound = errors.New("domain: not found")
	// ErrUsernameTaken reports that another account already uses the
	// username (compared without regard to case).
	ErrUsernameTaken = errors.New("domain: username taken")
	// ErrInvalidCredentials is the one answer for an unknown username and a
	// wrong password alike, so a caller cannot tell which it was.
	ErrInvalidCredentials = errors.New("domain: invalid credentials")
	// ErrUnauthenticated reports a missing, unknown, expired or revoked
	// session token.
	ErrUnauthenticated = errors.New("domain: unauthenticated")
	// ErrAccountDisabled reports a login with the right password to an
	// account an admin disabled.
	ErrAccountDisabled = errors.New("domain: account disabled")
	// ErrForbidden reports an action the principal may not take.
	ErrForbidden = errors.New("domain: forbidden")
	// ErrLastAdmin reports an attempt to demote, disable or delete the
	// only remaining admin.
	ErrLastAdmin = errors.New("domain: the last admin cannot be demoted, disabled or deleted")
	// ErrUnavailable reports that a dependency (the database) cannot serve
	// the request right now; retrying later may succeed.
	ErrUnavailable = errors.New("domain: temporarily unavailable")
)

// Field names used in ValidationError, shared by every delivery adapter.
const (
	FieldUsername        = "username"
	FieldPassword        = "password"
	FieldCurrentPassword = "current_password"
	FieldNewPassword     = "new_password"
)

// ValidationError reports input that breaks one or more domain rules, with
// a human-readable message per field.
type ValidationError struct {
	Fields map[string]string
}

// Error lists the offending fields and their messages in a stable order.
func (e *ValidationError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		parts = append(parts, name+": "+e.Fields[name])
	}
	return "domain: invalid input: " + strings.Join(parts, "; ")
}

// NewValidationError returns a ValidationError for a single field.
func NewValidationError(field, msg string) *ValidationError {
	return &ValidationError{Fields: map[string]string{field: msg}}
}

func invalid(field, msg string) *ValidationError { return NewValidationError(field, msg) }

// MergeValidation combines the field messages of every *ValidationError in
// errs into one. It returns nil when errs holds no error, and the first
// error unchanged when it is not a *ValidationError.
func MergeValidation(errs ...error) error {
	var merged *ValidationError
	for _, err := range errs {
		if err == nil {
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		if merged == nil {
			merged = &ValidationError{Fields: make(map[string]string)}
		}
		for k, v := range ve.Fields {
			if _, dup := merged.Fields[k]; !dup {
				merged.Fields[k] = v
			}
		}
	}
	if merged == nil {
		return nil
	}
	return merged
}
