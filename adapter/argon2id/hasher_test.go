package argon2id

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

// testParams are the cheapest sensible parameters, so tests stay fast.
var testParams = Params{MemoryKiB: 64, Time: 1, Threads: 1}

func newHasher(t testing.TB, p Params) *Hasher {
	t.Helper()
	h, err := New(p)
	if err != nil {
		t.Fatalf("New(%v) error = %v, want nil", p, err)
	}
	return h
}

// testPassword wraps raw as the domain hands passwords to the hasher.
func testPassword(raw string) domain.Password { return domain.NormalizePassword(raw) }

// failingReader is a salt source that always fails.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestHashVerifyRoundTrip(t *testing.T) {
	h := newHasher(t, testParams)
	for _, raw := range []string{
		"correct horse battery staple",
		"",
		"pässwörd with ünïcödé and 🔑",
		strings.Repeat("x", domain.PasswordMaxLen),
	} {
		encoded, err := h.Hash(t.Context(), testPassword(raw))
		if err != nil {
			t.Fatalf("Hash(%q) error = %v, want nil", raw, err)
		}
		if prefix := "$argon2id$v=19$m=64,t=1,p=1$"; !strings.HasPrefix(encoded, prefix) {
			t.Errorf("Hash(%q) = %q, want prefix %q", raw, encoded, prefix)
		}
		stored, err := decode(encoded)
		if err != nil {
			t.Fatalf("decode(Hash(%q)) error = %v, want nil", raw, err)
		}
		if len(stored.salt) != 16 || len(stored.key) != 32 {
			t.Errorf("Hash(%q) salt, key = %d, %d bytes, want 16, 32", raw, len(stored.salt), len(stored.key))
		}
		match, rehash, err := h.Verify(t.Context(), testPassword(raw), encoded)
		if !match || rehash || err != nil {
			t.Errorf("Verify(%q, Hash(%q)) = %v, %v, %v, want true, false, nil", raw, raw, match, rehash, err)
		}
	}
}

func TestVerifyWrongPassword(t *testing.T) {
	h := newHasher(t, testParams)
	const right = "correct horse battery staple"
	encoded, err := h.Hash(t.Context(), testPassword(right))
	if err != nil {
		t.Fatalf("Hash(%q) error = %v, want nil", right, err)
	}
	for _, wrong := range []string{
		"",
		"correct horse battery stapl",
		"correct horse battery staple ",
		"Correct horse battery staple",
		"correct horse battery staplf",
	} {
		match, rehash, err := h.Verify(t.Context(), testPassword(wrong), encoded)
		if match || rehash || err != nil {
			t.Errorf("Verify(%q, Hash(%q)) = %v, %v, %v, want false, false, nil", wrong, right, match, rehash, err)
		}
	}
}

func TestHashSaltsEachHash(t *testing.T) {
	h := newHasher(t, testParams)
	pw := testPassword("correct horse battery staple")
	first, err1 := h.Hash(t.Context(), pw)
	second, err2 := h.Hash(t.Context(), pw)
	if err1 != nil || err2 != nil {
		t.Fatalf("Hash() errors = %v, %v, want nil", err1, err2)
	}
	if first == second {
		t.Errorf("Hash() twice = %q both times, want different salts", first)
	}
}

// TestHashKnownAnswer pins Hash's output for a fixed salt to the reference
// implementation's: echo -n PASSWORD | argon2 SALT -id -t T -k M -p P -l 32 -e.
func TestHashKnownAnswer(t *testing.T) {
	tests := []struct {
		params   Params
		salt     string
		password string
		want     string
	}{
		{
			testParams, "0123456789abcdef", "correct horse battery staple",
			"$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$aq42HBL+IPAitHspChw/8mx5JRX2jFDkTmlsBskwH/0",
		},
		{
			DefaultParams(), "0123456789abcdef", "correct horse battery staple",
			"$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$gy5SuVm5Z7Vw7keB9se9p87QGcomaseB/S2U1OhTsM0",
		},
	}
	for _, tt := range tests {
		h, err := newWithRand(tt.params, strings.NewReader(tt.salt))
		if err != nil {
			t.Fatalf("newWithRand(%v) error = %v, want nil", tt.params, err)
		}
		got, err := h.Hash(t.Context(), testPassword(tt.password))
		if got != tt.want || err != nil {
			t.Errorf("Hash(%q) with %v and salt %q = %q, %v, want %q, nil", tt.password, tt.params, tt.salt, got, err, tt.want)
		}
	}
}

func TestHashSaltReadError(t *testing.T) {
	tests := []struct {
		name string
		r    io.Reader
		want error
	}{
		{"failing reader", failingReader{errors.New("entropy exhausted")}, nil},
		{"short reader", strings.NewReader("only 15 bytes!!"), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		h, err := newWithRand(testParams, tt.r)
		if err != nil {
			t.Fatalf("newWithRand(%v) error = %v, want nil", testParams, err)
		}
		got, err := h.Hash(t.Context(), testPassword("correct horse battery staple"))
		if err == nil || got != "" || !strings.HasPrefix(err.Error(), "argon2id: read salt: ") {
			t.Errorf("Hash() with %s = %q, %v, want \"\", argon2id: read salt error", tt.name, got, err)
		}
		if tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Hash() with %s error = %v, want it to wrap %v", tt.name, err, tt.want)
		}
	}
}

func TestVerifyReferenceVectors(t *testing.T) {
	h := newHasher(t, testParams)
	for _, v := range referenceVectors {
		// Only the last vector was made with testParams and a 16-byte salt
		// and 32-byte key; the others differ in at least one of them.
		wantRehash := !strings.HasPrefix(v.encoded, "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$")
		match, rehash, err := h.Verify(t.Context(), testPassword(v.password), v.encoded)
		if !match || rehash != wantRehash || err != nil {
			t.Errorf("Verify(%q, %q) = %v, %v, %v, want true, %v, nil", v.password, v.encoded, match, rehash, err, wantRehash)
		}
		wrong := v.password + "!"
		match, rehash, err = h.Verify(t.Context(), testPassword(wrong), v.encoded)
		if match || rehash || err != nil {
			t.Errorf("Verify(%q, %q) = %v, %v, %v, want false, false, nil", wrong, v.encoded, match, rehash, err)
		}
	}
}

func TestVerifyNeedsRehash(t *testing.T) {
	const raw = "correct horse battery staple"
	pw := testPassword(raw)
	salt16 := []byte("0123456789abcdef")
	// made hashes raw with p, salt and a key of keyLen bytes, as another
	// configuration of the service might have.
	made := func(p Params, salt []byte, keyLen uint32) string {
		return encode(p, salt, derive(pw, salt, p, keyLen))
	}
	tests := []struct {
		name    string
		encoded string
		want    bool
	}{
		{"same params", made(testParams, salt16, 32), false},
		{"less memory", made(Params{MemoryKiB: 32, Time: 1, Threads: 1}, salt16, 32), true},
		{"more memory", made(Params{MemoryKiB: 128, Time: 1, Threads: 1}, salt16, 32), true},
		{"more time", made(Params{MemoryKiB: 64, Time: 2, Threads: 1}, salt16, 32), true},
		{"more threads", made(Params{MemoryKiB: 64, Time: 1, Threads: 2}, salt16, 32), true},
		{"shorter key", made(testParams, salt16, 16), true},
		{"longer key", made(testParams, salt16, 64), true},
		{"shorter salt", made(testParams, salt16[:8], 32), true},
		{"longer salt", made(testParams, append(salt16, salt16...), 32), true},
	}
	h := newHasher(t, testParams)
	for _, tt := range tests {
		match, rehash, err := h.Verify(t.Context(), pw, tt.encoded)
		if !match || rehash != tt.want || err != nil {
			t.Errorf("Verify(%q, %s hash) = %v, %v, %v, want true, %v, nil", raw, tt.name, match, rehash, err, tt.want)
		}
		// A wrong password never asks for a rehash: there is nothing to rehash with.
		match, rehash, err = h.Verify(t.Context(), testPassword(raw+"!"), tt.encoded)
		if match || rehash || err != nil {
			t.Errorf("Verify(wrong password, %s hash) = %v, %v, %v, want false, false, nil", tt.name, match, rehash, err)
		}
	}
}

// TestHasherDoneContext checks that a done context stops Hash and Verify
// before they spend any memory or time.
func TestHasherDoneContext(t *testing.T) {
	h := newHasher(t, testParams)
	pw := testPassword("correct horse battery staple")
	encoded, err := h.Hash(t.Context(), pw)
	if err != nil {
		t.Fatalf("Hash() error = %v, want nil", err)
	}
	canceled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancel()
	tests := []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"canceled", canceled, context.Canceled},
		{"expired", expired, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		got, err := h.Hash(tt.ctx, pw)
		if got != "" || !errors.Is(err, tt.want) {
			t.Errorf("Hash(%s ctx) = %q, %v, want \"\", %v", tt.name, got, err, tt.want)
		}
		match, rehash, err := h.Verify(tt.ctx, pw, encoded)
		if match || rehash || !errors.Is(err, tt.want) {
			t.Errorf("Verify(%s ctx) = %v, %v, %v, want false, false, %v", tt.name, match, rehash, err, tt.want)
		}
	}
}

func BenchmarkHash(b *testing.B) {
	h := newHasher(b, DefaultParams())
	pw := testPassword("correct horse battery staple")
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := h.Hash(ctx, pw); err != nil {
			b.Fatalf("Hash() error = %v", err)
		}
	}
}
