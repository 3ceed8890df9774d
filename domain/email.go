package domain

import (
	"errors"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrEmailTaken reports that another account has already verified the
// address (compared without regard to case). It never reaches the person
// who asked for the address: to them the address looks like any other.
var ErrEmailTaken = errors.New("domain: email address taken")

// EmailMaxLen is the longest address accepted, in bytes (RFC 5321's path
// limit less its angle brackets).
const EmailMaxLen = 254

// EmailAddress is a validated email address. The zero value is "no
// address".
type EmailAddress struct {
	addr string
}

// NewEmailAddress trims raw and checks that it is one plain address
// (local@domain, no display name, no comment, no angle brackets), at most
// EmailMaxLen bytes. It keeps the address as typed.
func NewEmailAddress(raw string) (EmailAddress, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return EmailAddress{}, invalid("Please enter an email address.")
	}
	if !utf8.ValidString(s) || len(s) > EmailMaxLen || strings.ContainsAny(s, "<>()\" ,;\t\r\n") {
		return EmailAddress{}, invalid("Please enter an email address such as name@example.com.")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return EmailAddress{}, invalid("Please enter an email address such as name@example.com.")
	}
	local, host, ok := strings.Cut(s, "@")
	if !ok || local == "" || host == "" || strings.HasPrefix(host, "[") || !strings.Contains(host, ".") ||
		strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return EmailAddress{}, invalid("Please enter an email address such as name@example.com.")
	}
	return EmailAddress{addr: s}, nil
}

// RestoreEmailAddress rebuilds an address a store kept; "" is none.
func RestoreEmailAddress(stored string) EmailAddress { return EmailAddress{addr: stored} }

// String returns the address as typed.
func (a EmailAddress) String() string { return a.addr }

// Canonical is the form compared for uniqueness: the whole address in
// lower case. (The local part is case-sensitive by the letter of RFC
// 5321, but no provider treats it so, and two accounts on addresses that
// differ only in case would be one mailbox's.)
func (a EmailAddress) Canonical() string { return strings.ToLower(a.addr) }

// IsZero reports whether a is no address.
func (a EmailAddress) IsZero() bool { return a.addr == "" }

// One-time codes: what a person copies from a message into a form.
const (
	// CodeAlphabet has no look-alike characters (no 0, 1, I, O): 32
	// symbols, 5 bits each.
	CodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	// CodeLength characters make 40 bits.
	CodeLength = 8
)

// NormalizeCode returns raw as a code is stored: upper case, without
// spaces or hyphens; ok is false when the result is not CodeLength
// characters of CodeAlphabet.
func NormalizeCode(raw string) (code string, ok bool) {
	return normalizeCode(raw, CodeLength)
}

// normalizeCode returns raw upper-cased, without spaces or hyphens, or
// "" and false when the result is not length characters of CodeAlphabet. It
// stops reading past length, so a long input costs no more than a code.
func normalizeCode(raw string, length int) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(raw) {
		switch {
		case r == ' ' || r == '-':
			continue
		case r < utf8.RuneSelf && strings.IndexByte(CodeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
		if b.Len() > length {
			return "", false
		}
	}
	if b.Len() != length {
		return "", false
	}
	return b.String(), true
}

// CodePurpose says what a one-time code is for; a code of one purpose is
// worth nothing for another.
type CodePurpose string

// The purposes of one-time codes.
const (
	PurposeVerifyEmail CodePurpose = "verify_email"
	PurposeRecover     CodePurpose = "recover"
)

// PendingCode is an account's one active code of a purpose, stored as a
// keyed hash only, with the address it was sent to.
type PendingCode struct {
	ID        int64
	UserID    UserID
	Purpose   CodePurpose
	Address   EmailAddress
	Hash      []byte
	Tries     int
	ExpiresAt time.Time
	CreatedAt time.Time
}
