package domain_test

import (
	"errors"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestChooseUsernameRefusesMixedScripts(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr bool
	}{
		{"root", false},
		{"r\u043e\u043et", true},                  // "rооt": Cyrillic о among Latin letters
		{"p\u0430ypal", true},                     // Cyrillic а
		{"\u03a9mega", true},                      // Greek Ω before Latin "mega"
		{"\u03a9\u03bc\u03ad\u03b3\u03b1", false}, // "Ωμέγα": all Greek
		{"\u0440\u043e\u043e\u0442", false},       // "роот": all Cyrillic
		{"Straße", false},
		{"Zoë_42.x-y", false},        // digits and punctuation are Common
		{"東京タワー", false},             // Han + Katakana (ー is Common)
		{"やまだ太郎", false},             // Hiragana + Han
		{"tokyoタワー", false},          // Latin + Katakana: Japanese
		{"김철수abc", false},            // Hangul + Latin: Korean
		{"ㄅㄆㄇ中文", false},             // Bopomofo + Han
		{"タワー김", true},               // Katakana + Hangul: no language writes this
		{"ㄅㄆ김", true},                // Bopomofo + Hangul
		{"abc\u0440", true},          // Latin + Cyrillic р at the end
		{"abc\u3164", true},          // Hangul filler, invisible: refused though Latin + Hangul is allowed
		{"\u3164\u3164\u3164", true}, // only invisible letters
		{"αβγabc", true},             // Greek + Latin
		{"עברית", false},             // Hebrew alone
		{"abcעב", true},              // Latin + Hebrew
	}
	for _, tt := range tests {
		_, err := domain.ChooseUsername(tt.raw)
		var invalid *domain.InvalidError
		switch {
		case tt.wantErr && !errors.As(err, &invalid):
			t.Errorf("ChooseUsername(%q) error = %v, want an *InvalidError", tt.raw, err)
		case !tt.wantErr && err != nil:
			t.Errorf("ChooseUsername(%q) error = %v, want nil", tt.raw, err)
		}
		// A name that already exists must still be found: NewUsername
		// parses it whatever its scripts.
		if _, err := domain.NewUsername(tt.raw); err != nil {
			t.Errorf("NewUsername(%q) error = %v, want nil (lookups accept every stored name)", tt.raw, err)
		}
	}
}

func TestChooseUsernameMixedScriptMessage(t *testing.T) {
	_, err := domain.ChooseUsername("r\u043e\u043et")
	var invalid *domain.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("ChooseUsername(%q) error = %v, want an *InvalidError", "rооt", err)
	}
	const want = "Use letters from one script: a username may not mix alphabets, such as Latin with Cyrillic or Greek."
	if invalid.Message != want {
		t.Errorf("ChooseUsername(%q) message = %q, want %q", "rооt", invalid.Message, want)
	}
}

func TestChooseUsernameKeepsNewUsernameRules(t *testing.T) {
	for _, raw := range []string{"", "ab", "al ice", "<script>"} {
		if _, err := domain.ChooseUsername(raw); err == nil {
			t.Errorf("ChooseUsername(%q) error = nil, want NewUsername's refusal", raw)
		}
	}
	got, err := domain.ChooseUsername("  Ｂｏｂ ")
	if err != nil || got.String() != "Bob" || got.Canonical() != "bob" {
		t.Errorf("ChooseUsername(%q) = %q (canonical %q), %v, want %q, %q, nil", "  Ｂｏｂ ", got, got.Canonical(), err, "Bob", "bob")
	}
}

func TestUsernameSkeleton(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"paypal", "p\u0430ypal", true},  // Cyrillic а
		{"root", "r\u043e\u043et", true}, // Cyrillic о
		{"root", "ROOT", true},           // case
		{"root", "R\u041e\u041eT", true}, // Cyrillic capital О
		{"modem", "rnodem", true},        // m and rn, as confusables.txt has it
		{"admin1", "adminl", true},       // digit one and l
		{"Ian", "lan", true},             // capital I and l
		{"bob0", "bobO", true},           // zero and O
		{"root", "ro\u03bft", true},      // Greek omicron
		{"root", "root\u3164", true},     // Hangul filler is ignored
		{"𝐫𝐨𝐨𝐭", "root", true},           // mathematical bold, before NFKC
		{"Straße", "strasse", true},
		{"root", "roots", false},
		{"alice", "alic", false},
		{"\u03a9\u03bc\u03ad\u03b3\u03b1", "omega", false},
		{"東京", "京東", false},
	}
	for _, tt := range tests {
		a, b := domain.RestoreUsername(tt.a), domain.RestoreUsername(tt.b)
		if got := a.Skeleton() == b.Skeleton(); got != tt.same {
			t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q: equal = %v, want %v", tt.a, a.Skeleton(), tt.b, b.Skeleton(), got, tt.same)
		}
	}
	if got := (domain.Username{}).Skeleton(); got != "" {
		t.Errorf("Skeleton() of the zero Username = %q, want %q", got, "")
	}
}
