package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		st   stats
	}{
		{
			name: "sorted bytewise",
			in:   `["qwerty","123456","password"]`,
			want: []string{"123456", "password", "qwerty"},
			st:   stats{read: 3, kept: 3},
		},
		{
			name: "folded before deduplicating",
			in:   `["Password","password","PASSWORD","ｐａｓｓｗｏｒｄ"]`,
			want: []string{"password"},
			st:   stats{read: 4, kept: 1, duplicates: 3},
		},
		{
			name: "empty and multi-line dropped",
			in:   `["","abc\ndef","abc\rdef","abc"]`,
			want: []string{"abc"},
			st:   stats{read: 4, kept: 1, empty: 1, multiLine: 2},
		},
		{
			name: "full case folding",
			in:   `["STRASSE","Straße"]`,
			want: []string{"strasse"},
			st:   stats{read: 2, kept: 1, duplicates: 1},
		},
	}
	for _, tt := range tests {
		got, st, err := build(strings.NewReader(tt.in))
		if err != nil {
			t.Errorf("build(%q) error = %v, want nil", tt.in, err)
			continue
		}
		if !slices.Equal(got, tt.want) || st != tt.st {
			t.Errorf("%s: build(%q) = %q, %+v, want %q, %+v", tt.name, tt.in, got, st, tt.want, tt.st)
		}
	}
}

func TestBuildRejectsOtherJSON(t *testing.T) {
	for _, in := range []string{``, `{"a":"b"}`, `[1,2]`, `["a"`} {
		if _, _, err := build(strings.NewReader(in)); err == nil {
			t.Errorf("build(%q) error = nil, want a decode error", in)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "passwords.json")
	out := filepath.Join(dir, "passwords.txt")
	if err := os.WriteFile(in, []byte(`["b","A","a"]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := run(in, out); err != nil {
		t.Fatalf("run(%q, %q) error = %v, want nil", in, out, err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\nb\n"; string(got) != want {
		t.Errorf("run(%q, %q) wrote %q, want %q", in, out, got, want)
	}
	if _, err := run(filepath.Join(dir, "missing.json"), out); err == nil || !strings.HasPrefix(err.Error(), "gen: ") {
		t.Errorf("run(missing) error = %v, want one starting with %q", err, "gen: ")
	}
}
