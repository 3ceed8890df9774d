package argon2id

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// referenceVectors are hashes made by the Argon2 reference implementation
// (phc-winner-argon2: the first two are in its src/test.c, the others are
// output of its argon2 command-line tool).
var referenceVectors = []struct {
	password string
	encoded  string
}{
	{"password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"},
	{"password", "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"},
	// echo -n 'pässwörd' | argon2 saltsaltsaltsalt -id -t 3 -m 7 -p 2 -l 16 -e
	{"pässwörd", "$argon2id$v=19$m=128,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$418EKAAfcQ2j23YUCO10yw"},
	// echo -n 'correct horse battery staple' | argon2 0123456789abcdef -id -t 1 -m 6 -p 1 -l 32 -e
	{"correct horse battery staple", "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aq42HBL+IPAitHspChw/8mx5JRX2jFDkTmlsBskwH/0"},
}

func TestEncode(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := bytes.Repeat([]byte{0xff}, 32)
	got := encode(Params{MemoryKiB: 64, Time: 1, Threads: 1}, salt, key)
	want := "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$//////////////////////////////////////////8"
	if got != want {
		t.Errorf("encode(m=64,t=1,p=1, %q, 32 x 0xff) = %q, want %q", salt, got, want)
	}
}

// TestDecodeEncodeReferenceVectors checks the whole pipeline against the
// reference implementation: parsing its output, recomputing the key from
// the password and re-encoding must give back the same string.
func TestDecodeEncodeReferenceVectors(t *testing.T) {
	for _, v := range referenceVectors {
		stored, err := decode(v.encoded)
		if err != nil {
			t.Errorf("decode(%q) error = %v, want nil", v.encoded, err)
			continue
		}
		key := derive(testPassword(v.password), stored.salt, stored.params, uint32(len(stored.key)))
		if got := encode(stored.params, stored.salt, key); got != v.encoded {
			t.Errorf("encode(decode(%q) with key recomputed) = %q, want the input", v.encoded, got)
		}
	}
}

func TestDecode(t *testing.T) {
	encoded := "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	got, err := decode(encoded)
	if err != nil {
		t.Fatalf("decode(%q) error = %v, want nil", encoded, err)
	}
	if want := (Params{MemoryKiB: 256, Time: 2, Threads: 1}); got.params != want {
		t.Errorf("decode(%q).params = %v, want %v", encoded, got.params, want)
	}
	if string(got.salt) != "somesalt" {
		t.Errorf("decode(%q).salt = %q, want %q", encoded, got.salt, "somesalt")
	}
	if len(got.key) != 32 {
		t.Errorf("len(decode(%q).key) = %d, want 32", encoded, len(got.key))
	}
}

func TestVerifyRejectsMalformed(t *testing.T) {
	const (
		params = "m=256,t=2,p=1"
		salt   = "c29tZXNhbHQ"
		hash   = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
		valid  = "$argon2id$v=19$" + params + "$" + salt + "$" + hash
	)
	tests := []struct {
		encoded string
		wantMsg string // substring of the error naming the defect
	}{
		{"", "want $argon2id$"},
		{"argon2id$v=19$" + params + "$" + salt + "$" + hash, "want $argon2id$"},
		{"x" + valid, "want $argon2id$"},
		{"$argon2id$v=19$" + params + "$" + salt, "want $argon2id$"},
		{"$argon2id$" + params + "$" + salt + "$" + hash, "want $argon2id$"},
		{valid + "$", "want $argon2id$"},
		{valid + "$extra", "want $argon2id$"},
		{"$argon2i$v=19$" + params + "$" + salt + "$" + hash, "algorithm"},
		{"$argon2d$v=19$" + params + "$" + salt + "$" + hash, "algorithm"},
		{"$ARGON2ID$v=19$" + params + "$" + salt + "$" + hash, "algorithm"},
		{"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", "want $argon2id$"}, // bcrypt
		{"$argon2id$v=16$" + params + "$" + salt + "$" + hash, "version"},
		{"$argon2id$v=019$" + params + "$" + salt + "$" + hash, "version"},
		{"$argon2id$$" + params + "$" + salt + "$" + hash, "version"},
		{"$argon2id$v=19$$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=256,t=2$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=256,t=2,p=1,keyid=abc$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=256, t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=0256,t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=+256,t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=-256,t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=0x100,t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=,t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=4294967296,t=2,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=256,t=4294967296,p=1$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=256,t=2,p=256$" + salt + "$" + hash, "parameters"},
		{"$argon2id$v=19$m=4194305,t=2,p=1$" + salt + "$" + hash, "at most 4194304 KiB"},
		{"$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + hash, "at most 4194304 KiB"},
		{"$argon2id$v=19$m=7,t=2,p=1$" + salt + "$" + hash, "at least 8 KiB per thread"},
		{"$argon2id$v=19$m=15,t=2,p=2$" + salt + "$" + hash, "at least 8 KiB per thread"},
		{"$argon2id$v=19$m=0,t=2,p=1$" + salt + "$" + hash, "at least 8 KiB per thread"},
		{"$argon2id$v=19$m=256,t=0,p=1$" + salt + "$" + hash, "time must be at least 1"},
		{"$argon2id$v=19$m=256,t=2,p=0$" + salt + "$" + hash, "threads must be 1 to 255"},
		{"$argon2id$v=19$" + params + "$" + salt + "=$" + hash, "salt is not canonical"},
		{"$argon2id$v=19$" + params + "$c29tZXNhbHR$" + hash, "salt is not canonical"}, // nonzero trailing bits
		{"$argon2id$v=19$" + params + "$c29tZXNh\nbHQ$" + hash, "salt is not canonical"},
		{"$argon2id$v=19$" + params + "$c29tZXNhbHQ!$" + hash, "salt is not canonical"},
		{"$argon2id$v=19$" + params + "$$" + hash, "salt shorter than 8 bytes"},
		{"$argon2id$v=19$" + params + "$c29tZXNh$" + hash, "salt shorter than 8 bytes"},
		{"$argon2id$v=19$" + params + "$" + strings.Repeat("A", 87) + "$" + hash, "salt longer than 64 bytes"},
		{"$argon2id$v=19$" + params + "$" + salt + "$", "hash shorter than 16 bytes"},
		{"$argon2id$v=19$" + params + "$" + salt + "$" + strings.Repeat("A", 20), "hash shorter than 16 bytes"},
		{"$argon2id$v=19$" + params + "$" + salt + "$" + strings.Repeat("A", 87), "hash longer than 64 bytes"},
		{"$argon2id$v=19$" + params + "$" + salt + "$nf65EOgLrQMR_uIPnA4rEsF5h7TKyQwu9U1bMCHGi_4", "hash is not canonical"},
		{"$argon2id$v=19$" + params + "$" + salt + "$" + hash + "=", "hash is not canonical"},
		{valid + "\n", "hash is not canonical"},
		{valid + " ", "hash is not canonical"},
	}
	h := newHasher(t, testParams)
	pw := testPassword("password")
	for _, tt := range tests {
		match, rehash, err := h.Verify(t.Context(), pw, tt.encoded)
		if !errors.Is(err, ErrInvalidHash) || !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("Verify(%q) error = %v, want ErrInvalidHash containing %q", tt.encoded, err, tt.wantMsg)
			continue
		}
		if match || rehash {
			t.Errorf("Verify(%q) = %v, %v, want false, false with an error", tt.encoded, match, rehash)
		}
		// The encoded hash is a secret: an error may be logged, so it must not quote it.
		if msg := err.Error(); strings.Contains(msg, salt) || strings.Contains(msg, hash[:8]) {
			t.Errorf("Verify(%q) error = %q, quotes the encoded hash", tt.encoded, msg)
		}
	}
}
