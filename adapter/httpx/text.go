package httpx

import (
	"unicode"
	"unicode/utf8"
)

// CleanText reports whether s is valid UTF-8 without control characters
// (NUL included): the check every text field a client sends must pass,
// on the site and in the API alike, before a use case sees it.
func CleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
