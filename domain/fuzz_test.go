package domain_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gatehouse/gatehouse/domain"
)

// FuzzNewUsername checks the invariants of every accepted name: 3 to 32
// allowed characters, already normalized (a second pass changes nothing),
// and a canonical form that is stable too. Rejections are always a
// *InvalidError with a message, never a panic.
func FuzzNewUsername(f *testing.F) {
	for _, s := range []string{"alice", " Bob ", "Ｊｏｈｎ", "Straße", "a", "x\x00y", "ǅemal", "İstanbul", "\xff", "ﬀﬀﬀ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := domain.NewUsername(raw)
		if err != nil {
			var invalid *domain.InvalidError
			if !errors.As(err, &invalid) || invalid.Message == "" {
				t.Fatalf("NewUsername(%q) error = %v, want an *InvalidError with a message", raw, err)
			}
			return
		}
		name := u.String()
		if n := utf8.RuneCountInString(name); n < domain.UsernameMinLen || n > domain.UsernameMaxLen {
			t.Fatalf("NewUsername(%q) = %q with %d characters", raw, name, n)
		}
		for _, r := range name {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-", r) {
				t.Fatalf("NewUsername(%q) = %q contains %U", raw, name, r)
			}
		}
		again, err := domain.NewUsername(name)
		if err != nil || again != u {
			t.Fatalf("NewUsername(NewUsername(%q)) = %#v, %v; want %#v (idempotent)", raw, again, err, u)
		}
		if domain.RestoreUsername(name).Canonical() != u.Canonical() {
			t.Fatalf("RestoreUsername(%q) canonical differs", name)
		}
	})
}

// FuzzNewPassword checks that accepted passwords obey the length rule in
// code points and never contain the owner's name, and that nothing
// panics.
func FuzzNewPassword(f *testing.F) {
	f.Add("correct horse battery", "alice")
	f.Add("aaaaaaaaaaaaa", "bob")
	f.Add("my name is ALICE!", "alice")
	f.Add("ｐａｓｓｐｈｒａｓｅ１２", "zoe")
	f.Add("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4", "eve")
	f.Fuzz(func(t *testing.T, raw, owner string) {
		name, err := domain.NewUsername(owner)
		if err != nil {
			name = domain.Username{}
		}
		p, err := domain.NewPassword(raw, name)
		if err != nil {
			var invalid *domain.InvalidError
			if !errors.As(err, &invalid) || invalid.Message == "" {
				t.Fatalf("NewPassword(%q) error = %v, want an *InvalidError with a message", raw, err)
			}
			return
		}
		n := utf8.RuneCountInString(p.Reveal())
		if n < domain.PasswordMinLen || n > domain.PasswordMaxLen || !utf8.ValidString(p.Reveal()) {
			t.Fatalf("NewPassword(%q) accepted %d code points", raw, n)
		}
		if !name.IsZero() && strings.Contains(domain.RestoreUsername(p.Reveal()).Canonical(), name.Canonical()) {
			t.Fatalf("NewPassword(%q) accepted a password containing username %q", raw, name)
		}
	})
}

// FuzzNewDisplayName checks the invariants of every accepted display
// name: none (from blank input) or 1 to 64 code points, NFKC-normalized,
// no white space at either end or twice in a row, no control, separator,
// private-use or format character (the bidirectional overrides and
// isolates above all) but joiners between visible characters, no
// unassigned code point outside the emoji blocks, at least
// one visible character, and a second pass that changes nothing.
// Rejections are always a *InvalidError with a message, never a panic.
func FuzzNewDisplayName(f *testing.F) {
	for _, s := range []string{"Alice Liddell", "  ", "Ａｌｉｃｅ", "Alice\u202Egnp.exe", "\u2067x\u2069", "a\u200db", "\u200d",
		"\U0001f468\u200d\U0001f469", "\u3164", "\u2800", "x\x00y", "\xff", "\ufdfa", "e\u0301", "a \u00b4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := domain.NewDisplayName(raw)
		if err != nil {
			var invalid *domain.InvalidError
			if !errors.As(err, &invalid) || invalid.Message == "" {
				t.Fatalf("NewDisplayName(%q) error = %v, want an *InvalidError with a message", raw, err)
			}
			return
		}
		name := d.String()
		if d.IsZero() {
			if strings.TrimFunc(norm.NFKC.String(raw), unicode.IsSpace) != "" {
				t.Fatalf("NewDisplayName(%q) = none, but the input is not blank", raw)
			}
			return
		}
		if n := utf8.RuneCountInString(name); n < 1 || n > domain.DisplayNameMaxLen {
			t.Fatalf("NewDisplayName(%q) = %q with %d code points", raw, name, n)
		}
		if !norm.NFKC.IsNormalString(name) {
			t.Fatalf("NewDisplayName(%q) = %q, not NFKC", raw, name)
		}
		if strings.TrimSpace(name) != name || strings.Contains(name, "  ") {
			t.Fatalf("NewDisplayName(%q) = %q, with white space at an end or twice", raw, name)
		}
		visible := false
		for _, r := range name {
			if unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Co) ||
				(r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) ||
				(unicode.Is(unicode.Cf, r) && r != 0x200C && r != 0x200D) || (unicode.IsSpace(r) && r != ' ') ||
				(unicode.Is(unicode.Cn, r) && (r < 0x1F000 || r > 0x1FAFF)) {
				t.Fatalf("NewDisplayName(%q) = %q contains %U", raw, name, r)
			}
			visible = visible || unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S)
		}
		if !visible {
			t.Fatalf("NewDisplayName(%q) = %q, with nothing visible", raw, name)
		}
		again, err := domain.NewDisplayName(name)
		if err != nil || again != d {
			t.Fatalf("NewDisplayName(NewDisplayName(%q)) = %q, %v; want %q (idempotent)", raw, again, err, d)
		}
	})
}
