package commonpasswords

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

func TestContains(t *testing.T) {
	l := New()
	tests := []struct {
		raw  string
		want bool
	}{
		{"password", true},
		{"Password", true},      // case folding
		{"PASSWORD", true},      // case folding
		{"ｐａｓｓｗｏｒｄ", true},      // fullwidth: NFKC
		{"ＰＡＳＳＷＯＲＤ", true},      // fullwidth capitals: NFKC, then folding
		{"1qaz2wsx", true},      // keyboard walk
		{"qwertyuiop", true},    // keyboard row
		{"123456", true},        // first entry of the source list
		{"qwertyuiop123", true}, // 12+ characters: passes the length rule alone
		{"1qaz2wsx3edc", true},  // 12+ characters
		{"123qweasdzxc", true},  // 12+ characters
		{"QwErTy123456", true},  // 12+ characters, mixed case
		{"12345678900987654321", true},
		{"correct horse battery staple", false},
		{"Tr0ub4dor&3 is not it", false},
		{"1qaz2wsx3ed", false}, // a prefix of an entry is not the entry
		{"", false},            // no empty entry
	}
	for _, tt := range tests {
		if got := l.Contains(domain.NormalizePassword(tt.raw)); got != tt.want {
			t.Errorf("Contains(%q) = %v, want %v", tt.raw, got, tt.want)
		}
	}
}

// TestContainsRandom protects against a lookup that answers true too often:
// random 20-character strings are not common passwords.
func TestContainsRandom(t *testing.T) {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-.?@^_~"
	l := New()
	rng := rand.New(rand.NewPCG(20, 26))
	for range 1000 {
		b := make([]byte, 20)
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if raw := string(b); l.Contains(domain.NormalizePassword(raw)) {
			t.Errorf("Contains(%q) = true, want false", raw)
		}
	}
}

func TestLen(t *testing.T) {
	if got, min := New().Len(), 10_000; got < min {
		t.Errorf("Len() = %d, want at least %d", got, min)
	}
}

// TestZeroValue protects the promise that a List needs no constructor.
func TestZeroValue(t *testing.T) {
	var l List
	if got := l.Contains(domain.NormalizePassword("password")); !got {
		t.Errorf("List{}.Contains(%q) = %v, want true", "password", got)
	}
}

// TestContainsConcurrent runs the first lookups of one List from many
// goroutines at once; run it with -race.
func TestContainsConcurrent(t *testing.T) {
	l := New()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			<-start
			for _, tt := range []struct {
				raw  string
				want bool
			}{{"password", true}, {"Qwertyuiop", true}, {"correct horse battery staple", false}} {
				if got := l.Contains(domain.NormalizePassword(tt.raw)); got != tt.want {
					t.Errorf("goroutine %d: Contains(%q) = %v, want %v", i, tt.raw, got, tt.want)
				}
			}
			if got := l.Len(); got < 10_000 {
				t.Errorf("goroutine %d: Len() = %d, want at least 10000", i, got)
			}
		})
	}
	close(start)
	wg.Wait()
}

func BenchmarkContains(b *testing.B) {
	l := New()
	l.Len() // index outside the timed loop
	for _, bb := range []struct{ name, raw string }{
		{"hit", "qwertyuiop123"},
		{"miss", "correct horse battery staple"},
		{"upper", "QWERTYUIOP123"},
		{"unicode", "Пароль123456"},
	} {
		p := domain.NormalizePassword(bb.raw)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				l.Contains(p)
			}
		})
	}
}

// BenchmarkFirstContains measures what the first lookup of a new List pays
// to index the embedded file.
func BenchmarkFirstContains(b *testing.B) {
	p := domain.NormalizePassword("qwertyuiop123")
	b.ReportAllocs()
	for b.Loop() {
		New().Contains(p)
	}
}
