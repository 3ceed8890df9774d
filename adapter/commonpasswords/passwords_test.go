package commonpasswords

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/adapter/commonpasswords/internal/fold"
	"github.com/gatehouse/gatehouse/domain"
)

// TestPasswordsFile protects the format Contains relies on: binary search
// needs sorted lines, and a lookup only finds a line that is already in the
// folded form Contains searches for.
func TestPasswordsFile(t *testing.T) {
	if !strings.HasSuffix(passwords, "\n") {
		t.Fatalf("passwords.txt does not end with a newline")
	}
	if strings.Contains(passwords, "\r") {
		t.Errorf("passwords.txt contains a carriage return; want LF line endings")
	}
	lines := strings.Split(strings.TrimSuffix(passwords, "\n"), "\n")
	for i, line := range lines {
		n := i + 1
		switch {
		case line == "":
			t.Errorf("passwords.txt line %d is empty", n)
		case !utf8.ValidString(line):
			t.Errorf("passwords.txt line %d = %q, not valid UTF-8", n, line)
		case fold.Unicode(line) != line:
			t.Errorf("fold.Unicode(line %d %q) = %q, want it unchanged", n, line, fold.Unicode(line))
		case i > 0 && lines[i-1] >= line:
			t.Errorf("passwords.txt line %d %q follows %q; want strictly increasing bytewise (sorted, no duplicates)", n, line, lines[i-1])
		}
	}
	if got := New().Len(); got != len(lines) {
		t.Errorf("Len() = %d, want %d (lines in passwords.txt)", got, len(lines))
	}
}

// TestContainsEveryEntry protects the round trip: each stored password,
// given back as a password, is found.
func TestContainsEveryEntry(t *testing.T) {
	l := New()
	for line := range strings.Lines(passwords) {
		line = strings.TrimSuffix(line, "\n")
		if !l.Contains(domain.NormalizePassword(line)) {
			t.Errorf("Contains(%q) = false, want true (line of passwords.txt)", line)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"a\nb\nc\n", []string{"a", "b", "c"}},
		{"a\nb\nc", []string{"a", "b", "c"}},
		{"c\na\nb\n", []string{"a", "b", "c"}}, // unsorted input is sorted, not trusted
	}
	for _, tt := range tests {
		if got := split(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("split(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
