package domain

import (
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// TokenBytes is the size of a session token's randomness: 256 bits.
const TokenBytes = 32

// SessionID identifies a stored session. Zero means "not stored yet".
type SessionID int64

// Token is a session's bearer secret as the client holds it: 32 random
// bytes in unpadded base64url (43 characters). Only its hash is stored.
type Token string

// TokenHash is the SHA-256 of a Token; it is what the database keeps.
type TokenHash [sha256.Size]byte

// NewToken encodes 32 random bytes as a Token.
func NewToken(random [TokenBytes]byte) Token {
	return Token(base64.RawURLEncoding.EncodeToString(random[:]))
}

// ParseToken checks that raw has the shape of a Token, so malformed cookies
// are rejected before any database lookup.
func ParseToken(raw string) (Token, bool) {
	if len(raw) != base64.RawURLEncoding.EncodedLen(TokenBytes) {
		return "", false
	}
	var buf [TokenBytes]byte
	n, err := base64.RawURLEncoding.Decode(buf[:], []byte(raw))
	if err != nil || n != TokenBytes {
		return "", false
	}
	return Token(raw), true
}

// Hash returns the token's SHA-256. The bytes are copied to a buffer on
// the stack: a token (43 bytes) is longer than the 32 bytes the compiler
// converts a string into without allocating.
func (t Token) Hash() TokenHash {
	var buf [64]byte
	return sha256.Sum256(append(buf[:0], t...))
}

// String redacts the token so it cannot leak through %v or a log line.
func (Token) String() string { return "[redacted]" }

// Reveal returns the token's text, for the cookie that carries it only.
func (t Token) Reveal() string { return string(t) }

// Session is a server-side login. ExpiresAt is the effective deadline: for a
// browser-session login it slides with activity (idle timeout) but never
// past AbsoluteExpiresAt; for a remembered login the two are equal.
type Session struct {
	ID                SessionID
	TokenHash         TokenHash
	UserID            UserID
	Persistent        bool
	CreatedAt         time.Time
	LastSeenAt        time.Time
	ExpiresAt         time.Time
	AbsoluteExpiresAt time.Time
	// IP and UserAgent describe the client that logged in, for the
	// account page's list of sessions.
	IP        string
	UserAgent string
	// PreviousLogin is the account's successful login before the one
	// that started this session, taken when the session started, so that
	// it stays the same for the session's whole life.
	PreviousLogin PreviousLogin
	// CredentialVersion is the account's credential version the session
	// was started under (User.CredentialVersion). Once the account's has
	// moved on, the session no longer authenticates anyone.
	CredentialVersion int64
	// TwoFactorAt is when the session's login passed a second factor
	// (a code after the password), zero for a password-only session.
	TwoFactorAt time.Time
}

// TwoFactor reports whether the session's login passed a second factor.
func (s Session) TwoFactor() bool { return !s.TwoFactorAt.IsZero() }

// PreviousLogin is when and from where an account logged in before a
// session started. At is zero when the account had no earlier login.
// Known is false for sessions stored before sessions kept their previous
// login: theirs has to be looked up in the account's history.
type PreviousLogin struct {
	Known bool
	At    time.Time
	IP    string
}

// Exists reports whether there was an earlier login.
func (p PreviousLogin) Exists() bool { return !p.At.IsZero() }

// Active reports whether the session is still valid at now.
func (s Session) Active(now time.Time) bool { return now.Before(s.ExpiresAt) }

// Current reports whether the session was started under u's present
// credentials: false once u's password has changed since it started.
func (s Session) Current(u User) bool { return s.CredentialVersion == u.CredentialVersion }
