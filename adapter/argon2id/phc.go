package argon2id

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrInvalidHash reports an encoded hash that is not a well-formed argon2id
// PHC string with parameters this package accepts. Errors from Verify wrap
// it; they never quote the encoded hash.
var ErrInvalidHash = errors.New("argon2id: invalid encoded hash")

// Lengths in bytes. Hash makes salts of saltLen and keys of keyLen; Verify
// accepts the ranges below, so hashes from other tools still verify.
const (
	saltLen    = 16
	keyLen     = 32
	minSaltLen = 8 // RFC 9106 section 3.1
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// version is the only Argon2 version accepted, 0x13 (argon2.Version).
const version = "v=19"

// phc is a decoded argon2id PHC string.
type phc struct {
	params Params
	salt   []byte
	key    []byte
}

// encode formats a hash as a PHC string.
func encode(p Params, salt, key []byte) string {
	return "$argon2id$" + version + "$" + p.String() +
		"$" + base64.RawStdEncoding.EncodeToString(salt) +
		"$" + base64.RawStdEncoding.EncodeToString(key)
}

// decode parses a PHC string strictly: the argon2id algorithm, version 19,
// exactly the parameters m, t and p in that order as canonical decimals,
// and canonical unpadded base64 salt and hash of acceptable lengths. It
// accepts exactly the strings encode can produce for valid inputs.
func decode(encoded string) (phc, error) {
	// "", "argon2id", "v=19", params, salt, hash, and one more if extra.
	fields := strings.SplitN(encoded, "$", 7)
	if len(fields) != 6 || fields[0] != "" {
		return phc{}, fmt.Errorf("%w: want $argon2id$v=19$<params>$<salt>$<hash>", ErrInvalidHash)
	}
	if fields[1] != "argon2id" {
		return phc{}, fmt.Errorf("%w: algorithm is not argon2id", ErrInvalidHash)
	}
	if fields[2] != version {
		return phc{}, fmt.Errorf("%w: version is not 19", ErrInvalidHash)
	}
	p, err := parseParams(fields[3])
	if err != nil {
		return phc{}, err
	}
	salt, err := decodeBase64("salt", fields[4], minSaltLen, maxSaltLen)
	if err != nil {
		return phc{}, err
	}
	key, err := decodeBase64("hash", fields[5], minKeyLen, maxKeyLen)
	if err != nil {
		return phc{}, err
	}
	return phc{params: p, salt: salt, key: key}, nil
}

// parseParams parses "m=<memory>,t=<time>,p=<threads>" and validates it.
func parseParams(s string) (Params, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return Params{}, fmt.Errorf("%w: want parameters m, t and p", ErrInvalidHash)
	}
	m, okM := parseDecimal(parts[0], "m=", 32)
	t, okT := parseDecimal(parts[1], "t=", 32)
	p, okP := parseDecimal(parts[2], "p=", 8)
	if !okM || !okT || !okP {
		return Params{}, fmt.Errorf("%w: want parameters m, t and p as decimals in range", ErrInvalidHash)
	}
	params := Params{MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(p)}
	if msg := params.problem(); msg != "" {
		return Params{}, fmt.Errorf("%w: %s", ErrInvalidHash, msg)
	}
	return params, nil
}

// parseDecimal parses s as name followed by a decimal without sign or
// leading zeros that fits in bits.
func parseDecimal(s, name string, bits int) (uint64, bool) {
	digits, ok := strings.CutPrefix(s, name)
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, bits)
	return n, err == nil
}

// decodeBase64 decodes s as canonical unpadded standard base64 holding
// minLen to maxLen bytes. Re-encoding rejects what the decoder tolerates: newlines
// and nonzero trailing bits.
func decodeBase64(field, s string, minLen, maxLen int) ([]byte, error) {
	if len(s) > base64.RawStdEncoding.EncodedLen(maxLen) {
		return nil, fmt.Errorf("%w: %s longer than %d bytes", ErrInvalidHash, field, maxLen)
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil || base64.RawStdEncoding.EncodeToString(b) != s {
		return nil, fmt.Errorf("%w: %s is not canonical unpadded base64", ErrInvalidHash, field)
	}
	if len(b) < minLen {
		return nil, fmt.Errorf("%w: %s shorter than %d bytes", ErrInvalidHash, field, minLen)
	}
	return b, nil
}
