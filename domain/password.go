package domain

import (
	"log/slog"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Password limits, counted in Unicode code points after NFKC normalization
// (NIST SP 800-63B 5.1.1.2: at least 8, allow at least 64; OWASP ASVS 2.1.1
// asks for 12).
const (
	PasswordMinLen = 12
	PasswordMaxLen = 128
)

// Password is a plaintext secret on its way to the hasher. It never prints:
// String, GoString and LogValue all redact it.
type Password struct {
	secret string
}

// NormalizePassword applies NFKC so that the same password typed on
// different keyboards hashes the same. It checks nothing: logins use it on
// whatever was typed, since the policy applies to new passwords only.
func NormalizePassword(raw string) Password {
	return Password{secret: norm.NFKC.String(raw)}
}

// NewPassword normalizes raw and checks the password policy for an account
// named owner: 12 to 128 characters, not one character repeated, and not
// containing the username. No composition rules (NIST SP 800-63B).
func NewPassword(raw string, owner Username) (Password, error) {
	if !utf8.ValidString(raw) {
		return Password{}, invalid("Password must be valid text.")
	}
	p := NormalizePassword(raw)
	n := utf8.RuneCountInString(p.secret)
	switch {
	case n == 0:
		return Password{}, invalid("Please choose a password.")
	case n < PasswordMinLen:
		return Password{}, invalid("Password must be at least 12 characters long.")
	case n > PasswordMaxLen:
		return Password{}, invalid("Password must be at most 128 characters long.")
	case oneRepeatedRune(p.secret):
		return Password{}, invalid("Password must not be one character repeated.")
	case !owner.IsZero() && strings.Contains(canonicalUsername(p.secret), owner.Canonical()):
		return Password{}, invalid("Password must not contain your username.")
	}
	return p, nil
}

// Reveal returns the plaintext, for the hasher only.
func (p Password) Reveal() string { return p.secret }

// String redacts the password.
func (Password) String() string { return "[redacted]" }

// GoString redacts the password in %#v.
func (Password) GoString() string { return "domain.Password{[redacted]}" }

// LogValue redacts the password in log/slog output.
func (Password) LogValue() slog.Value { return slog.StringValue("[redacted]") }

func oneRepeatedRune(s string) bool {
	first, size := utf8.DecodeRuneInString(s)
	for _, r := range s[size:] {
		if r != first {
			return false
		}
	}
	return true
}
