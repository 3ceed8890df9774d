package domain

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PasskeyID identifies a stored passkey.
type PasskeyID int64

// Passkey is a WebAuthn credential registered to an account: the public
// half of a key pair an authenticator keeps, with what the service
// learned about it when it was registered and last used.
type Passkey struct {
	ID     PasskeyID
	UserID UserID
	// CredentialID is the authenticator's id of the credential, unique
	// across accounts.
	CredentialID []byte
	// PublicKey is the COSE-encoded public key.
	PublicKey []byte
	// SignCount is the authenticator's signature counter at the last use;
	// zero for authenticators that keep none.
	SignCount  uint32
	Transports []string
	AAGUID     []byte
	// AttestationType and AttestationFormat are what the registration
	// reported (the service accepts "none").
	AttestationType   string
	AttestationFormat string
	// UserVerified, BackupEligible and BackupState are the authenticator
	// data's flags: the key was unlocked by the user, may be synced, is
	// synced.
	UserVerified   bool
	BackupEligible bool
	BackupState    bool
	Name           PasskeyName
	CreatedAt      time.Time
	// LastUsedAt is zero until the first login with it.
	LastUsedAt time.Time
}

// MaxPasskeyNameLen is the longest passkey name, in characters.
const MaxPasskeyNameLen = 64

// ErrPasskeyName is a passkey name that is empty, too long or holds
// control characters.
var ErrPasskeyName = errors.New("domain: a passkey's name must be 1 to 64 characters without control characters")

// PasskeyName is the name its owner gave a passkey, such as "Laptop".
type PasskeyName struct{ s string }

// NewPasskeyName normalizes raw (NFC, spaces trimmed) and checks it.
func NewPasskeyName(raw string) (PasskeyName, error) {
	if !utf8.ValidString(raw) {
		return PasskeyName{}, ErrPasskeyName
	}
	s := strings.TrimSpace(norm.NFC.String(raw))
	if s == "" || utf8.RuneCountInString(s) > MaxPasskeyNameLen {
		return PasskeyName{}, ErrPasskeyName
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200d' {
			return PasskeyName{}, ErrPasskeyName
		}
	}
	return PasskeyName{s: s}, nil
}

// PasskeyNameFromStore returns a name read back from storage, trusted.
func PasskeyNameFromStore(s string) PasskeyName { return PasskeyName{s: s} }

// String returns the name.
func (n PasskeyName) String() string { return n.s }

// PasskeyPurpose says which ceremony a passkey challenge belongs to.
type PasskeyPurpose string

// The ceremonies.
const (
	// PasskeyRegister adds a passkey to a signed-in account.
	PasskeyRegister PasskeyPurpose = "register"
	// PasskeyLogin signs in with a discoverable credential: no account
	// is named before the answer.
	PasskeyLogin PasskeyPurpose = "login"
	// PasskeySecondStep answers a login challenge after a password.
	PasskeySecondStep PasskeyPurpose = "second_step"
)

// PasskeyChallenge is a WebAuthn ceremony under way: the server-side
// state its answer is checked against. Only a keyed hash of the
// challenge is kept; it is used once and expires.
type PasskeyChallenge struct {
	Hash    TokenHash
	Purpose PasskeyPurpose
	// UserID is the account a registration or a second step is for;
	// zero for a login.
	UserID UserID
	// State is the ceremony's parameters, without the challenge.
	State     []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Passkey events and failure reasons.
const (
	// EventPasskeyAdded, EventPasskeyRenamed and EventPasskeyRemoved
	// record the owner managing passkeys; Detail is the passkey's id.
	EventPasskeyAdded   EventKind = "passkey_added"
	EventPasskeyRenamed EventKind = "passkey_renamed"
	EventPasskeyRemoved EventKind = "passkey_removed"
	// EventPasskeyFailure is a passkey answer refused; Detail says why.
	EventPasskeyFailure EventKind = "passkey_failure"

	// FailurePossibleClone is a signature counter that did not move
	// forward: another copy of the key may exist.
	FailurePossibleClone = "possible_clone"
	// FailureNoUserVerification is an answer whose authenticator did not
	// verify the user (no PIN, no biometric).
	FailureNoUserVerification = "no_user_verification"
	// FailureBadAssertion is an answer that does not verify: a wrong
	// signature, origin, or challenge.
	FailureBadAssertion = "bad_assertion"
	// FailureUnknownPasskey is an answer with a credential no account has.
	FailureUnknownPasskey = "unknown_passkey"
)

// ErrPasskeyTaken reports a credential already registered, to this
// account or another.
var ErrPasskeyTaken = errors.New("domain: passkey already registered")
