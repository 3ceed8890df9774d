package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Username limits, counted in Unicode code points after NFKC normalization.
const (
	UsernameMinLen = 3
	UsernameMaxLen = 32
)

// Username is a validated account name. The zero value is not valid; build
// one with NewUsername or RestoreUsername.
type Username struct {
	display   string
	canonical string
}

// NewUsername normalizes raw (NFKC, surrounding space trimmed) and checks
// the rules: 3 to 32 letters, digits, '.', '_' or '-'. The result keeps the
// name as typed for display and a case-folded form for uniqueness.
func NewUsername(raw string) (Username, error) {
	if !utf8.ValidString(raw) {
		return Username{}, invalid("Username must be valid text.")
	}
	name := strings.TrimSpace(norm.NFKC.String(raw))
	if name == "" {
		return Username{}, invalid("Please choose a username.")
	}
	n := utf8.RuneCountInString(name)
	if n < UsernameMinLen || n > UsernameMaxLen {
		return Username{}, invalid("Username must be 3 to 32 characters long.")
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' && r != '-' {
			return Username{}, invalid("Username may contain only letters, digits, '.', '_' and '-'.")
		}
	}
	return Username{display: name, canonical: canonicalUsername(name)}, nil
}

// ChooseUsername is NewUsername for a name someone chooses now, for a new
// account (signup, an admin or the command line creating one, an import):
// besides NewUsername's rules the name must pass Choosable. NewUsername
// alone stays the parser for names typed to find an account, so that
// accounts created before these rules keep logging in.
func ChooseUsername(raw string) (Username, error) {
	u, err := NewUsername(raw)
	if err != nil {
		return Username{}, err
	}
	if err := u.Choosable(); err != nil {
		return Username{}, err
	}
	return u, nil
}

// Choosable reports, as an *InvalidError, a name that may stay on an
// existing account but may not be chosen for a new one: a name that mixes
// scripts (Cyrillic "о" among Latin letters, as in "rооt"), beyond the
// combinations of UTS #39 "Highly Restrictive" (see highlyRestrictive),
// or one holding an invisible letter (a default-ignorable code point such
// as the Hangul filler). That two names look alike is the store's to
// decide, on Skeleton, since it takes the other names to know.
func (u Username) Choosable() error {
	for _, r := range u.display {
		if isDefaultIgnorable(r) {
			return invalid("Username may contain only letters, digits, '.', '_' and '-'.")
		}
	}
	if !highlyRestrictive(u.display) {
		return invalid("Use letters from one script: a username may not mix alphabets, such as Latin with Cyrillic or Greek.")
	}
	return nil
}

// RestoreUsername rebuilds a Username read back from storage, where it was
// validated when it was written. It does not validate again.
func RestoreUsername(display string) Username {
	return Username{display: display, canonical: canonicalUsername(display)}
}

// canonicalUsername case-folds an NFKC-normalized name and normalizes again,
// since folding can produce sequences NFKC would compose. A cases.Caser keeps
// state, so each call builds its own; building one allocates nothing, the
// cost is in running it. An ASCII name, the common case, skips it: NFKC
// leaves ASCII as it is and full case folding maps only 'A' to 'Z' there,
// to 'a' to 'z', which is what strings.ToLower does to ASCII (without
// allocating when nothing changes). TestCanonicalUsernameASCII checks that
// the two agree.
func canonicalUsername(name string) string {
	if isASCII(name) {
		return strings.ToLower(name)
	}
	return foldUsername(name)
}

// foldUsername is canonicalUsername without the ASCII shortcut.
func foldUsername(name string) string {
	return norm.NFKC.String(cases.Fold().String(name))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// String returns the name as its owner typed it.
func (u Username) String() string { return u.display }

// Canonical returns the case-folded form that must be unique.
func (u Username) Canonical() string { return u.canonical }

// IsZero reports whether u was never set.
func (u Username) IsZero() bool { return u.display == "" }
