package domain

import (
	"strings"
	"time"
)

// Recovery codes: the codes an account with a second factor keeps on
// paper, each good for one login when the authenticator is out of reach.
const (
	// RecoveryCodeCount is how many codes a set has.
	RecoveryCodeCount = 10
	// RecoveryCodeLength characters of CodeAlphabet make 60 bits.
	RecoveryCodeLength = 12
	// recoveryGroup is the size of the groups a code is shown in.
	recoveryGroup = 4
)

// RecoveryCode is one unused recovery code of an account, as stored: a
// keyed hash only.
type RecoveryCode struct {
	ID        int64
	UserID    UserID
	Hash      []byte
	CreatedAt time.Time
}

// NormalizeRecoveryCode returns raw as a recovery code is hashed: upper
// case, without spaces or hyphens; ok is false when the result is not
// RecoveryCodeLength characters of CodeAlphabet. A 6-digit
// authenticator code is never one.
func NormalizeRecoveryCode(raw string) (code string, ok bool) {
	return normalizeCode(raw, RecoveryCodeLength)
}

// FormatRecoveryCode writes code in groups of four joined by hyphens
// (ABCD-EFGH-JKLM), easier to copy; NormalizeRecoveryCode reads it back.
func FormatRecoveryCode(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		if i > 0 && i%recoveryGroup == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(code[i])
	}
	return b.String()
}
