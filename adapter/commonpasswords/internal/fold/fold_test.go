package fold

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"password", "password"},
		{"PassWord123!", "password123!"},
		{"ｐａｓｓｗｏｒｄ", "password"},      // fullwidth: NFKC
		{"ＰＡＳＳＷＯＲＤ", "password"},      // fullwidth capitals: NFKC, then fold
		{"Straße", "strasse"},         // full folding, not lowercasing
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},        // final sigma folds like any sigma
		{"K", "k"},                    // Kelvin sign
		{"e\u0301", "\u00e9"},         // composed by NFKC
		{"ﬁrewall", "firewall"},       // ligature: NFKC
		{"\u2460\u2461\u2462", "123"}, // circled digits: NFKC
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestStringASCIIFastPath protects the shortcut: for every ASCII input it
// must give what the full Unicode pipeline gives.
func TestStringASCIIFastPath(t *testing.T) {
	var all strings.Builder
	for b := 0; b < 0x80; b++ {
		all.WriteByte(byte(b))
	}
	inputs := []string{all.String()}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		b := make([]byte, 1+rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(0x80))
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		if got, want := String(in), Unicode(in); got != want {
			t.Errorf("String(%q) = %q, want %q (Unicode)", in, got, want)
		}
	}
}
