package domain_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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
