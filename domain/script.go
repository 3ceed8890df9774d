package domain

import "unicode"

// scriptOf returns the Unicode Script property value of r (the name of a
// table in unicode.Scripts, such as "Latin" or "Cyrillic"), or "" for a
// code point no script table holds (unassigned to Go's tables).
func scriptOf(r rune) string {
	switch {
	case r < 0x80:
		// ASCII: the letters are Latin, the rest Common.
		if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return "Latin"
		}
		return "Common"
	case unicode.Is(unicode.Common, r):
		return "Common"
	case unicode.Is(unicode.Inherited, r):
		return "Inherited"
	}
	for _, name := range frequentScripts {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, table := range unicode.Scripts {
		if unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// frequentScripts are tried before the other 150-odd tables of
// unicode.Scripts, so that the common names need a few lookups each.
var frequentScripts = []string{"Latin", "Han", "Hiragana", "Katakana", "Hangul", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Thai"}

// highlyRestrictiveSets are the script combinations that UTS #39 section
// 5.2 "Highly Restrictive" allows besides a single script: how Japanese,
// Chinese (with Bopomofo) and Korean are written, each with Latin.
var highlyRestrictiveSets = []map[string]bool{
	{"Latin": true, "Han": true, "Hiragana": true, "Katakana": true},
	{"Latin": true, "Han": true, "Bopomofo": true},
	{"Latin": true, "Han": true, "Hangul": true},
}

// highlyRestrictive reports whether s meets the restriction level "Highly
// Restrictive" of UTS #39 section 5.2: its characters come from a single
// script, or from one of highlyRestrictiveSets. Common and Inherited
// characters (digits, '.', '_', '-', combining marks) belong to every
// script, as in the resolved script set of section 5.1, so they never make
// a mix. The scripts are the Script property of Go's unicode tables;
// Script_Extensions, which UTS #39 uses, is not in the standard library,
// and the two differ only for a few marks and digits shared by related
// scripts, where Script is the stricter.
func highlyRestrictive(s string) bool {
	scripts := map[string]bool{}
	for _, r := range s {
		switch sc := scriptOf(r); sc {
		case "Common", "Inherited":
		default:
			scripts[sc] = true
		}
	}
	if len(scripts) <= 1 {
		return true
	}
	for _, allowed := range highlyRestrictiveSets {
		if subset(scripts, allowed) {
			return true
		}
	}
	return false
}

// subset reports whether every key of a is in b.
func subset(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}
