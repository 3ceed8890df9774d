package domain

import "errors"

// Sentinel errors shared by every layer. Adapters translate driver errors
// into these; the HTTP deliveries map them to statuses in one table.
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
	// ErrCredentialsChanged reports that a session was to be started under
	// an account's credentials that have changed since they were checked
	// (a login that verified the old password while the password
	// changed); the session is not stored.
	ErrCredentialsChanged = errors.New("domain: credentials changed")
	// ErrForbidden reports an action the principal may not take.
	ErrForbidden = errors.New("domain: forbidden")
	// ErrLastAdmin reports an attempt to demote, disable or delete the
	// only remaining admin.
	ErrLastAdmin = errors.New("domain: the last admin cannot be demoted, disabled or deleted")
	// ErrUnavailable reports that a dependency (the database) cannot serve
	// the request right now; retrying later may succeed.
	ErrUnavailable = errors.New("domain: temporarily unavailable")
)

// InvalidError reports a value that breaks a domain rule, with a sentence
// for the person who chose it. Which input held the value is for the
// caller to say: the use cases name their own inputs
// (usecase.InvalidInputError).
type InvalidError struct {
	Message string
}

func (e *InvalidError) Error() string { return "domain: invalid value: " + e.Message }

func invalid(msg string) *InvalidError { return &InvalidError{Message: msg} }
