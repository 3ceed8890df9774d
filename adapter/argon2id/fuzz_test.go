package argon2id

import (
	"errors"
	"testing"
)

// fuzzMaxMemoryKiB and fuzzMaxTime bound the work one fuzz input may cause;
// inputs above them are only parsed, never hashed.
const (
	fuzzMaxMemoryKiB = 1024
	fuzzMaxTime      = 4
)

// FuzzVerify checks that Verify never panics, that it fails exactly when
// decode does, and that a parsed string re-encodes to itself.
func FuzzVerify(f *testing.F) {
	f.Add("password", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("correct horse battery staple", "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aq42HBL+IPAitHspChw/8mx5JRX2jFDkTmlsBskwH/0")
	f.Add("password", "$argon2id$v=19$m=4294967295,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")
	f.Add("password", "$argon2id$v=19$m=256,t=2,p=0$c29tZXNhbHQ$")
	f.Add("", "$argon2i$v=19$m=256,t=2,p=1$$")
	f.Add("", "$$$$$$")
	f.Add("", "")
	h := newHasher(f, testParams)
	f.Fuzz(func(t *testing.T, password, encoded string) {
		stored, decodeErr := decode(encoded)
		if decodeErr == nil {
			if got := encode(stored.params, stored.salt, stored.key); got != encoded {
				t.Fatalf("encode(decode(%q)) = %q, want the input", encoded, got)
			}
			if stored.params.MemoryKiB > fuzzMaxMemoryKiB || stored.params.Time > fuzzMaxTime {
				return
			}
		}
		match, rehash, err := h.Verify(t.Context(), testPassword(password), encoded)
		if (err == nil) != (decodeErr == nil) {
			t.Fatalf("Verify(%q) error = %v, but decode error = %v", encoded, err, decodeErr)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidHash) {
				t.Errorf("Verify(%q) error = %v, want ErrInvalidHash", encoded, err)
			}
			if match || rehash {
				t.Errorf("Verify(%q) = %v, %v with an error, want false, false", encoded, match, rehash)
			}
		}
		if !match && rehash {
			t.Errorf("Verify(%q) = false, true, want no rehash without a match", encoded)
		}
	})
}
