package totp

import (
	"bytes"
	"encoding/base32"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rfcSecret is RFC 6238's SHA-1 test key ("12345678901234567890").
var rfcSecret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))

// TestCodeMatchesRFC6238: the codes are RFC 6238's test vectors (the last
// six digits of its eight).
func TestCodeMatchesRFC6238(t *testing.T) {
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1234567890, "005924"},
		{2000000000, "279037"},
	}
	for _, tt := range tests {
		if got, err := Code(rfcSecret, time.Unix(tt.unix, 0)); err != nil || got != tt.want {
			t.Errorf("Code(RFC key, %d) = %q, %v, want %q", tt.unix, got, err, tt.want)
		}
	}
}

// TestMatchAllowsOneStepOfSkew: the codes of the step before and after
// match and report their own step; two steps away, or malformed, do not.
func TestMatchAllowsOneStepOfSkew(t *testing.T) {
	now := time.Unix(1_800_000_015, 0)
	step := now.Unix() / 30
	for _, d := range []int64{-1, 0, 1} {
		code, _ := Code(rfcSecret, time.Unix((step+d)*30, 0))
		got, ok := New().Match(rfcSecret, code, now)
		if !ok || got != step+d {
			t.Errorf("Match(code of step %+d) = %d, %v, want %d, true", d, got, ok, step+d)
		}
	}
	for _, d := range []int64{-2, 2} {
		code, _ := Code(rfcSecret, time.Unix((step+d)*30, 0))
		if _, ok := New().Match(rfcSecret, code, now); ok {
			t.Errorf("Match(code of step %+d) = true, want false: one step of skew only", d)
		}
	}
	for _, code := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := New().Match(rfcSecret, code, now); ok {
			t.Errorf("Match(%q) = true, want false", code)
		}
	}
}

func TestNewSecretIs160RandomBits(t *testing.T) {
	a, err := New().NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New().NewSecret()
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(a)
	if err != nil || len(raw) != 20 {
		t.Errorf("NewSecret() = %q decodes to %d bytes (%v), want 20", a, len(raw), err)
	}
	if a == b {
		t.Errorf("NewSecret() twice = %q: not random", a)
	}
}

func TestURIAndQRCode(t *testing.T) {
	uri, err := New().URI("gatehouse", "alice", rfcSecret)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Query().Get("secret") != rfcSecret ||
		u.Query().Get("issuer") != "gatehouse" || !strings.Contains(u.Path, "alice") {
		t.Errorf("URI() = %q, want otpauth://totp/gatehouse:alice?secret=%s&issuer=gatehouse", uri, rfcSecret)
	}
	if _, err := New().URI("gatehouse", "alice", "not base32!"); err == nil {
		t.Errorf("URI(malformed secret) error = nil, want an error")
	}
	png, err := New().QRCode(uri)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("QRCode() = %d bytes, %v, want a PNG", len(png), err)
	}
}
