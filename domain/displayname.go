package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// DisplayNameMaxLen is the most code points a display name may have, after
// normalization.
const DisplayNameMaxLen = 64

// The joiners a display name may hold between two visible characters:
// Persian, Arabic and the Indic scripts need them to spell words, and
// emoji sequences (a family, a flag with a rainbow) are built with the
// zero width joiner.
const (
	zeroWidthNonJoiner = '\u200C'
	zeroWidthJoiner    = '\u200D'
)

// brailleBlank, U+2800, is a symbol that draws nothing: a name of it
// alone would look empty.
const brailleBlank = '\u2800'

// The blocks where Unicode adds its new emoji (Mahjong Tiles to Symbols
// and Pictographs Extended-A): a code point there that the tables do not
// know yet is an emoji newer than them, so it is let through.
const (
	emojiBlocksFirst = 0x1F000
	emojiBlocksLast  = 0x1FAFF
)

// The refusals of a display name, for the person who typed it.
const (
	msgDisplayNameText      = "Display name must be valid text."
	msgDisplayNameTooLong   = "Display name must be at most 64 characters long."
	msgDisplayNameInvisible = "Display name may not contain control characters or invisible formatting characters, such as those that change the direction of text."
	msgDisplayNameBlank     = "Display name must contain at least one visible letter, digit, punctuation mark or symbol."
)

// DisplayName is the name an account owner chose to be greeted by, shown
// in place of the username. Unlike a username it need not be unique and
// may hold spaces, punctuation and symbols of any script; it never
// identifies the account. The zero value is "no display name"; build one
// with NewDisplayName or RestoreDisplayName.
type DisplayName struct {
	name string
}

// NewDisplayName normalizes raw and checks the rules. Normalizing is NFKC
// (fullwidth letters become plain ones, a no-break space a space), then
// white space trimmed at both ends and each run of it inside made one
// space (U+0020). Nothing but white space is the zero DisplayName: an
// empty submission clears the display name. Otherwise the name must have
// 1 to DisplayNameMaxLen code points (an emoji built of several code
// points counts as several), none of them a control character (Cc), a
// line or paragraph separator (Zl, Zp), a private-use character (Co), a
// noncharacter, a code point the Unicode tables do not know (unless it is
// in the emoji blocks, where phones get new emoji before Go's tables do),
// or a format character (Cf: the bidirectional embeddings,
// overrides and isolates U+202A to U+202E and U+2066 to U+2069, the
// direction marks, zero width spaces, the byte order mark, the invisible
// operators, the tag characters) or other default-ignorable code point
// (the Hangul fillers, which draw nothing), except the zero width joiner
// and non-joiner between two visible characters, and variation
// selectors; and at least one character must be a visible letter, digit,
// punctuation mark or symbol. Refusals are *InvalidError.
func NewDisplayName(raw string) (DisplayName, error) {
	if !utf8.ValidString(raw) {
		return DisplayName{}, invalid(msgDisplayNameText)
	}
	normalized := norm.NFKC.String(raw)
	for _, r := range normalized {
		if forbiddenInDisplayName(r) {
			return DisplayName{}, invalid(msgDisplayNameInvisible)
		}
	}
	name := strings.Join(strings.Fields(normalized), " ")
	if name == "" {
		return DisplayName{}, nil
	}
	if utf8.RuneCountInString(name) > DisplayNameMaxLen {
		return DisplayName{}, invalid(msgDisplayNameTooLong)
	}
	if !joinersBetweenVisible(name) {
		return DisplayName{}, invalid(msgDisplayNameInvisible)
	}
	if !strings.ContainsFunc(name, visibleInDisplayName) {
		return DisplayName{}, invalid(msgDisplayNameBlank)
	}
	return DisplayName{name: name}, nil
}

// RestoreDisplayName rebuilds a DisplayName read back from storage, where
// it was validated when it was written ("" is none). It does not validate
// again.
func RestoreDisplayName(name string) DisplayName { return DisplayName{name: name} }

// String returns the display name, or "" when there is none.
func (d DisplayName) String() string { return d.name }

// IsZero reports whether there is no display name.
func (d DisplayName) IsZero() bool { return d.name == "" }

// forbiddenInDisplayName reports whether r may not appear in a display
// name at all, wherever it stands.
func forbiddenInDisplayName(r rune) bool {
	switch {
	case r == zeroWidthJoiner || r == zeroWidthNonJoiner:
		return false // allowed between visible characters: joinersBetweenVisible
	case unicode.IsControl(r),
		unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Co, unicode.Cs),
		unicode.Is(unicode.Noncharacter_Code_Point, r):
		return true
	case unicode.Is(unicode.Variation_Selector, r):
		return false // emoji presentation (U+FE0F) and ideographic variants
	case !assigned(r):
		// A later Unicode version may make it anything, even a format
		// character; only a newer emoji is worth that.
		return r < emojiBlocksFirst || r > emojiBlocksLast
	}
	return isDefaultIgnorable(r)
}

// assigned reports whether the standard library's Unicode tables give r
// a general category other than Cn (unassigned).
func assigned(r rune) bool { return !unicode.Is(unicode.Cn, r) }

// joinersBetweenVisible reports whether every zero width joiner or
// non-joiner in name stands between two characters that are neither
// white space nor another joiner: a joiner anywhere else joins nothing
// and only hides text.
func joinersBetweenVisible(name string) bool {
	prevJoinable := false
	pendingJoiner := false
	for _, r := range name {
		isJoiner := r == zeroWidthJoiner || r == zeroWidthNonJoiner
		switch {
		case isJoiner:
			if !prevJoinable {
				return false
			}
			pendingJoiner, prevJoinable = true, false
		case unicode.IsSpace(r):
			if pendingJoiner {
				return false
			}
			prevJoinable = false
		default:
			pendingJoiner, prevJoinable = false, true
		}
	}
	return !pendingJoiner
}

// visibleInDisplayName reports whether r draws something of its own: a
// letter, digit, punctuation mark or symbol that is not default-ignorable
// (the Hangul filler is a letter that draws nothing) or the blank braille
// pattern.
func visibleInDisplayName(r rune) bool {
	return unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) &&
		!isDefaultIgnorable(r) && r != brailleBlank
}
