package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// The prototypes come from Unicode's confusables.txt, version 17.0.0 (see
// NOTICE for its source, checksum and license), turned into
// confusables_table.go by internal/gen. To move to a newer version, from
// the repository root:
//
//	curl -fsSLO https://www.unicode.org/Public/security/latest/confusables.txt
//	CONFUSABLES_TXT=$PWD/confusables.txt go generate ./domain
//
// then update NOTICE and TestConfusablesTable. New data changes the
// skeletons of stored names: ship it with a migration that sets
// users.username_skeleton to NULL, and sqlstore.Migrate computes them
// again.
//
//go:generate go run ./internal/gen -o confusables_table.go ${CONFUSABLES_TXT}

// Skeleton returns the key that decides whether two usernames look alike:
// two names with the same skeleton may not both exist, whatever their
// canonical forms. It is the UTS #39 skeleton (see skeleton) taken once
// of the name as typed, so that capitals confusable with other letters
// ("I" with "l") count, then case-folded and taken again, so that the key
// is also blind to case ("ROOT" and "rооt" with Cyrillic o share
// "root"). Names with the same canonical form can still differ here
// ("Ian" is "lan", "ian" is "ian"); the canonical form is unique on its
// own, so a new name is refused when either key is taken.
func (u Username) Skeleton() string {
	if u.display == "" {
		return ""
	}
	return skeleton(cases.Fold().String(skeleton(u.display)))
}

// skeleton is skeleton(X) of Unicode Technical Standard #39, section 4,
// with the prototypes of confusables.txt (confusables_table.go): X in NFD,
// without default-ignorable code points, each code point replaced by its
// prototype, and the result in NFD again.
func skeleton(s string) string {
	s = norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isDefaultIgnorable(r) {
			continue
		}
		if p, ok := confusables[r]; ok {
			b.WriteString(p)
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFD.String(b.String())
}

// isDefaultIgnorable reports whether r has the Unicode property
// Default_Ignorable_Code_Point: code points that are invisible unless a
// font chooses to show them, such as the Hangul filler U+3164, which is a
// letter. The standard library has no table of the derived property; this
// is its definition in DerivedCoreProperties.txt, on the tables it does
// have: Other_Default_Ignorable_Code_Point + Cf + Variation_Selector,
// less White_Space, the interlinear annotation characters U+FFF9 to
// U+FFFB, the Egyptian hieroglyph format controls U+13430 to U+1343F and
// Prepended_Concatenation_Mark.
func isDefaultIgnorable(r rune) bool {
	if !unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) &&
		!unicode.Is(unicode.Cf, r) &&
		!unicode.Is(unicode.Variation_Selector, r) {
		return false
	}
	switch {
	case unicode.Is(unicode.White_Space, r),
		r >= 0xFFF9 && r <= 0xFFFB,
		r >= 0x13430 && r <= 0x1343F,
		unicode.Is(unicode.Prepended_Concatenation_Mark, r):
		return false
	}
	return true
}
