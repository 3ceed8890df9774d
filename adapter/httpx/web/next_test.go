package web

import "testing"

func TestSafeNext(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"", "/"},
		{"/", "/"},
		{"/account", "/account"},
		{"/a/b?c=d&e=f", "/a/b?c=d&e=f"},
		{"/a#frag", "/a#frag"},
		{"//evil.example", "/"},
		{"//evil.example/path", "/"},
		{"/\\evil.example", "/"},
		{"/a\\b", "/"},
		{"https://evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"account", "/"},
		{"/\t/evil.example", "/"},
		{"/a\r\nSet-Cookie: x=y", "/"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // stays a local path
		{"/a\x00b", "/"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.raw); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/account", "//evil", "/\\evil", "https://x", "/a?b=c", "\x00", "/\t/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := safeNext(raw)
		if got != "/" && got != raw {
			t.Fatalf("safeNext(%q) = %q, want the input or /", raw, got)
		}
		if len(got) > 1 && (got[0] != '/' || got[1] == '/' || got[1] == '\\') {
			t.Fatalf("safeNext(%q) = %q, not a local path", raw, got)
		}
	})
}
