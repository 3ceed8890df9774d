package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// TestNewDisplayName covers what a display name becomes (NFKC, white
// space trimmed and collapsed, blank meaning none) and every refusal, each
// with its message.
func TestNewDisplayName(t *testing.T) {
	const (
		tooLong   = "Display name must be at most 64 characters long."
		invisible = "Display name may not contain control characters or invisible formatting characters, such as those that change the direction of text."
		blank     = "Display name must contain at least one visible letter, digit, punctuation mark or symbol."
		text      = "Display name must be valid text."
	)
	tests := []struct {
		name    string
		raw     string
		want    string // the accepted name; "" with wantErr "" is none
		wantErr string // the message of the refusal
	}{
		{name: "plain", raw: "Alice Liddell", want: "Alice Liddell"},
		{name: "trimmed and collapsed", raw: "  Alice \u00a0  Liddell \u3000", want: "Alice Liddell"},
		{name: "fullwidth folds under NFKC", raw: "Ａｌｉｃｅ", want: "Alice"},
		{name: "combining mark composes", raw: "Zoe\u0308", want: "Zoë"},
		{name: "ligature expands", raw: "\ufb01ne", want: "fine"},
		{name: "markup is text", raw: `<b>"Al" & 'ice'</b>`, want: `<b>"Al" & 'ice'</b>`},
		{name: "other scripts", raw: "山田 太郎", want: "山田 太郎"},
		{name: "right to left", raw: "שלום עליכם", want: "שלום עליכם"},
		{name: "persian with non-joiner", raw: "می\u200cخواهم", want: "می\u200cخواهم"},
		{name: "emoji with joiners and selector", raw: "Alice \u2764\ufe0f\u200d\U0001f525", want: "Alice \u2764\ufe0f\u200d\U0001f525"},
		{name: "family emoji", raw: "\U0001f468\u200d\U0001f469\u200d\U0001f467", want: "\U0001f468\u200d\U0001f469\u200d\U0001f467"},
		{name: "one character", raw: "A", want: "A"},
		{name: "emoji newer than the tables", raw: "Alice \U0001FAE9", want: "Alice \U0001FAE9"},
		{name: "64 characters", raw: strings.Repeat("é", 64), want: strings.Repeat("é", 64)},
		{name: "64 after composing", raw: strings.Repeat("e\u0301", 64), want: strings.Repeat("é", 64)},
		{name: "64 after collapsing", raw: strings.Repeat("a", 32) + "      " + strings.Repeat("b", 31), want: strings.Repeat("a", 32) + " " + strings.Repeat("b", 31)},

		{name: "empty clears", raw: "", want: ""},
		{name: "spaces clear", raw: "   \u3000 ", want: ""},

		{name: "65 characters", raw: strings.Repeat("a", 65), wantErr: tooLong},
		{name: "65 after NFKC expands", raw: strings.Repeat("a", 63) + "\u2026", wantErr: tooLong}, // … is three dots under NFKC
		{name: "65 code points of emoji", raw: strings.Repeat("\U0001f600", 65), wantErr: tooLong},
		{name: "NUL", raw: "Ali\x00ce", wantErr: invisible},
		{name: "tab", raw: "Ali\tce", wantErr: invisible},
		{name: "newline", raw: "Alice\n", wantErr: invisible},
		{name: "C1 control", raw: "Ali\u0085ce", wantErr: invisible},
		{name: "DEL", raw: "Ali\x7fce", wantErr: invisible},
		{name: "right-to-left override", raw: "Alice\u202Egnp.exe", wantErr: invisible},
		{name: "left-to-right embedding", raw: "\u202AAlice", wantErr: invisible},
		{name: "pop directional formatting", raw: "Alice\u202C", wantErr: invisible},
		{name: "right-to-left isolate", raw: "\u2067Alice\u2069", wantErr: invisible},
		{name: "first strong isolate", raw: "\u2068Alice", wantErr: invisible},
		{name: "right-to-left mark", raw: "Alice\u200F", wantErr: invisible},
		{name: "arabic letter mark", raw: "Alice\u061C", wantErr: invisible},
		{name: "zero width space", raw: "Ali\u200Bce", wantErr: invisible},
		{name: "byte order mark", raw: "\uFEFFAlice", wantErr: invisible},
		{name: "word joiner", raw: "Ali\u2060ce", wantErr: invisible},
		{name: "soft hyphen", raw: "Ali\u00ADce", wantErr: invisible},
		{name: "tag characters", raw: "Alice\U000E0041\U000E0042", wantErr: invisible},
		{name: "line separator", raw: "Alice\u2028Liddell", wantErr: invisible},
		{name: "paragraph separator", raw: "Alice\u2029", wantErr: invisible},
		{name: "private use", raw: "Alice\uE000", wantErr: invisible},
		{name: "noncharacter", raw: "Alice\uFDD0", wantErr: invisible},
		{name: "unassigned outside the emoji blocks", raw: "Alice\u0378", wantErr: invisible},
		{name: "unassigned plane 3", raw: "Alice\U0003FFF0", wantErr: invisible},
		{name: "hangul filler", raw: "\u3164", wantErr: invisible},
		{name: "hangul filler inside", raw: "Al\u3164ice", wantErr: invisible},
		{name: "joiner first", raw: "\u200DAlice", wantErr: invisible},
		{name: "joiner last", raw: "Alice\u200D", wantErr: invisible},
		{name: "joiner before a space", raw: "Alice\u200D Liddell", wantErr: invisible},
		{name: "joiner after a space", raw: "Alice \u200CLiddell", wantErr: invisible},
		{name: "two joiners", raw: "Ali\u200D\u200Dce", wantErr: invisible},
		{name: "joiner alone", raw: "\u200D", wantErr: invisible},
		{name: "only braille blanks", raw: "\u2800\u2800", wantErr: blank},
		{name: "only combining marks", raw: "\u0301\u0302", wantErr: blank},
		{name: "only a variation selector", raw: "\uFE0F", wantErr: blank},
		{name: "invalid UTF-8", raw: "Ali\xffce", wantErr: text},
	}
	for _, tt := range tests {
		got, err := domain.NewDisplayName(tt.raw)
		if tt.wantErr != "" {
			var invalid *domain.InvalidError
			if !errors.As(err, &invalid) || invalid.Message != tt.wantErr {
				t.Errorf("NewDisplayName(%q) (%s) = %q, %v; want the refusal %q", tt.raw, tt.name, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.String() != tt.want || got.IsZero() != (tt.want == "") {
			t.Errorf("NewDisplayName(%q) (%s) = %q (zero %t), %v; want %q", tt.raw, tt.name, got, got.IsZero(), err, tt.want)
		}
	}
}

// TestRestoreDisplayName rebuilds what NewDisplayName made, and none from
// "".
func TestRestoreDisplayName(t *testing.T) {
	d, err := domain.NewDisplayName(" Alice  Liddell ")
	if err != nil {
		t.Fatalf("NewDisplayName() error = %v", err)
	}
	if got := domain.RestoreDisplayName(d.String()); got != d {
		t.Errorf("RestoreDisplayName(%q) = %#v, want %#v", d, got, d)
	}
	if got := domain.RestoreDisplayName(""); !got.IsZero() || got != (domain.DisplayName{}) {
		t.Errorf("RestoreDisplayName(\"\") = %#v, want the zero DisplayName", got)
	}
}

// TestUserShownName: the display name when there is one, else the
// username.
func TestUserShownName(t *testing.T) {
	u := domain.User{Username: domain.RestoreUsername("alice")}
	if got := u.ShownName(); got != "alice" {
		t.Errorf("ShownName() without a display name = %q, want the username alice", got)
	}
	u.DisplayName = domain.RestoreDisplayName("Alice Liddell")
	if got := u.ShownName(); got != "Alice Liddell" {
		t.Errorf("ShownName() with a display name = %q, want Alice Liddell", got)
	}
}
