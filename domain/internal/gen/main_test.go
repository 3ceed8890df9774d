package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = "\uFEFF# confusables.txt\n" +
	"# Version: 17.0.0\n" +
	"#\n" +
	"006D ;\t0072 006E ;\tMA\t# ( m → rn ) LATIN SMALL LETTER M → LATIN SMALL LETTER R, LATIN SMALL LETTER N\t# \n" +
	"\n" +
	"043E ;\t006F ;\tMA\t# ( о → o ) CYRILLIC SMALL LETTER O → LATIN SMALL LETTER O\t# \n" +
	"0430 ;\t0061 ;\tMA\t# ( а → a ) CYRILLIC SMALL LETTER A → LATIN SMALL LETTER A\t# \n"

func TestParse(t *testing.T) {
	got, err := parse(strings.NewReader(sample))
	if err != nil {
		t.Fatalf("parse(sample) error = %v", err)
	}
	if got.version != "17.0.0" {
		t.Errorf("parse(sample) version = %q, want %q", got.version, "17.0.0")
	}
	want := []mapping{{'m', "rn"}, {'\u0430', "a"}, {'\u043E', "o"}}
	if len(got.mappings) != len(want) {
		t.Fatalf("parse(sample) = %d mappings, want %d", len(got.mappings), len(want))
	}
	for i := range want {
		if got.mappings[i] != want[i] {
			t.Errorf("parse(sample) mapping %d = %+v, want %+v (sorted by code point)", i, got.mappings[i], want[i])
		}
	}
}

func TestParseRefuses(t *testing.T) {
	const header = "# Version: 17.0.0\n"
	tests := []struct {
		name, in string
	}{
		{"no version", "006D ;\t0072 006E ;\tMA\t#\n"},
		{"no mappings", header},
		{"two fields", header + "006D ;\t0072 006E\t#\n"},
		{"another type", header + "006D ;\t0072 006E ;\tSL\t#\n"},
		{"two sources", header + "006D 006E ;\t0072 ;\tMA\t#\n"},
		{"bad hex", header + "00GD ;\t0072 ;\tMA\t#\n"},
		{"empty prototype", header + "006D ;\t ;\tMA\t#\n"},
		{"surrogate", header + "D800 ;\t0072 ;\tMA\t#\n"},
		{"mapped twice", header + "006D ;\t0072 006E ;\tMA\t#\n006D ;\t0072 ;\tMA\t#\n"},
	}
	for _, tt := range tests {
		if _, err := parse(strings.NewReader(tt.in)); err == nil {
			t.Errorf("parse(%s) error = nil, want a refusal", tt.name)
		}
	}
}

func TestRunWritesGoSource(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "confusables.txt"), filepath.Join(dir, "table.go")
	if err := os.WriteFile(in, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	n, version, err := run(in, out)
	if err != nil || n != 3 || version != "17.0.0" {
		t.Fatalf("run() = %d, %q, %v, want 3, %q, nil", n, version, err, "17.0.0")
	}
	src, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), out, src, 0); err != nil {
		t.Errorf("run() wrote Go that does not parse: %v", err)
	}
	for _, want := range []string{`const confusablesVersion = "17.0.0"`, `0x006D: "rn",`, `0x043E: "o",`} {
		if !strings.Contains(string(src), want) {
			t.Errorf("run() output lacks %q:\n%s", want, src)
		}
	}
}
