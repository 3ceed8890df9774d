package system

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/domain"
)

// failingReader is a random source that always fails.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestNewTokenShape(t *testing.T) {
	tok, err := NewTokens().NewToken()
	if err != nil {
		t.Fatalf("NewToken() error = %v, want nil", err)
	}
	raw := tok.Reveal()
	if len(raw) != 43 {
		t.Errorf("len(NewToken()) = %d, want 43 (32 bytes in unpadded base64url)", len(raw))
	}
	if parsed, ok := domain.ParseToken(raw); !ok || parsed != tok {
		t.Errorf("domain.ParseToken(NewToken()) = %v, %v, want the token, true", parsed, ok)
	}
}

func TestNewTokenDistinct(t *testing.T) {
	const n = 1000
	tokens := NewTokens()
	seen := make(map[domain.Token]bool, n)
	for i := range n {
		tok, err := tokens.NewToken()
		if err != nil {
			t.Fatalf("NewToken() #%d error = %v, want nil", i, err)
		}
		if seen[tok] {
			t.Fatalf("NewToken() #%d repeated an earlier token", i)
		}
		seen[tok] = true
	}
}

func TestNewTokenReadsRandomSource(t *testing.T) {
	var random [domain.TokenBytes]byte
	for i := range random {
		random[i] = byte(i)
	}
	got, err := newTokens(strings.NewReader(string(random[:]))).NewToken()
	if want := domain.NewToken(random); got != want || err != nil {
		t.Errorf("NewToken() from bytes 0..31 = %q, %v, want %q, nil", got.Reveal(), err, want.Reveal())
	}
}

func TestNewTokenReadError(t *testing.T) {
	errBroken := errors.New("entropy source broken")
	tests := []struct {
		name string
		r    io.Reader
		want error
	}{
		{"failing reader", failingReader{errBroken}, errBroken},
		{"empty reader", strings.NewReader(""), io.EOF},
		{"short reader", strings.NewReader(strings.Repeat("x", domain.TokenBytes-1)), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		got, err := newTokens(tt.r).NewToken()
		if got != "" || !errors.Is(err, tt.want) {
			t.Errorf("NewToken() with %s = %q, %v, want \"\", error wrapping %v", tt.name, got.Reveal(), err, tt.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "system: read token randomness: ") {
			t.Errorf("NewToken() with %s error = %q, want prefix %q", tt.name, err, "system: read token randomness: ")
		}
	}
}
