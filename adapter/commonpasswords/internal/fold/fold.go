// Package fold turns a password into the form the common-password list
// stores, so that the generator writing the list and the List reading it
// agree byte for byte.
package fold

import (
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// String returns s NFKC-normalized, case-folded and normalized again, since
// folding can produce sequences NFKC would compose (the same steps
// domain.Username uses for its canonical form). ASCII text takes a fast path
// with the same result: NFKC leaves it alone and full case folding maps only
// 'A' to 'Z'.
func String(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return Unicode(s)
}

// Unicode is String without the ASCII fast path. A cases.Caser keeps state,
// so each call builds its own.
func Unicode(s string) string {
	return norm.NFKC.String(cases.Fold().String(norm.NFKC.String(s)))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
