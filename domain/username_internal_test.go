package domain

import "testing"

// TestCanonicalUsernameASCII protects the ASCII shortcut in
// canonicalUsername: for every ASCII character, alone and in a name, it
// must give what case folding and NFKC give.
func TestCanonicalUsernameASCII(t *testing.T) {
	for c := range 128 {
		for _, s := range []string{string(rune(c)), "Ab" + string(rune(c)) + "Zz"} {
			if got, want := canonicalUsername(s), foldUsername(s); got != want {
				t.Errorf("canonicalUsername(%q) = %q, want %q as folding gives", s, got, want)
			}
		}
	}
}

// FuzzCanonicalUsername checks that canonicalUsername, shortcut included,
// gives what case folding and NFKC give for any input.
func FuzzCanonicalUsername(f *testing.F) {
	for _, s := range []string{"alice", "Alice.Smith_42", "ALICE", "Straße", "ǅemal", "İstanbul", "Ｊｏｈｎ", "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := canonicalUsername(s), foldUsername(s); got != want {
			t.Errorf("canonicalUsername(%q) = %q, want %q as folding gives", s, got, want)
		}
	})
}
