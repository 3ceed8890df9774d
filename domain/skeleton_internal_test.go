package domain

import (
	"testing"
	"unicode/utf8"
)

// TestConfusablesTable checks the generated table against what UTS #39
// promises of confusables.txt, so a regenerated table that was cut short
// or garbled fails here: the size of version 17.0.0, a prototype for
// every entry, and a few well-known pairs.
func TestConfusablesTable(t *testing.T) {
	if confusablesVersion != "17.0.0" || len(confusables) != 6565 {
		t.Errorf("confusables: version %q with %d prototypes, want %q with 6565 (update this test with the data)", confusablesVersion, len(confusables), "17.0.0")
	}
	for r, p := range confusables {
		if p == "" || !utf8.ValidString(p) {
			t.Errorf("confusables[U+%04X] = %q, want a non-empty prototype", r, p)
		}
	}
	for r, want := range map[rune]string{'\u043E': "o", '\u0430': "a", 'm': "rn", '0': "O", '1': "l", 'I': "l"} {
		if got := confusables[r]; got != want {
			t.Errorf("confusables[%q] = %q, want %q", r, got, want)
		}
	}
}

func TestIsDefaultIgnorable(t *testing.T) {
	tests := []struct {
		r    rune
		want bool
	}{
		{'\u200B', true},  // ZERO WIDTH SPACE (Cf)
		{'\u200D', true},  // ZERO WIDTH JOINER
		{'\u00AD', true},  // SOFT HYPHEN
		{'\u3164', true},  // HANGUL FILLER, a letter
		{'\uFE0F', true},  // VARIATION SELECTOR-16
		{'\u180E', true},  // MONGOLIAN VOWEL SEPARATOR
		{'\uFFF9', false}, // INTERLINEAR ANNOTATION ANCHOR: excluded
		{'\u0600', false}, // ARABIC NUMBER SIGN: a prepended concatenation mark
		{' ', false},
		{'a', false},
		{'\u0301', false}, // COMBINING ACUTE ACCENT is visible
	}
	for _, tt := range tests {
		if got := isDefaultIgnorable(tt.r); got != tt.want {
			t.Errorf("isDefaultIgnorable(U+%04X) = %v, want %v", tt.r, got, tt.want)
		}
	}
}
