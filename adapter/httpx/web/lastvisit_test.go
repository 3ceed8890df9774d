package web

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/domain"
)

func TestLastVisitCodec(t *testing.T) {
	codec := newLastVisitCodec([]byte("0123456789abcdef0123456789abcdef"))
	at := time.Date(2026, 11, 26, 8, 30, 0, 0, time.UTC)
	value := codec.encode(7, at)

	got, ok := codec.decode(value, 7)
	if !ok || !got.Equal(at) {
		t.Fatalf("decode(encode(7, %v), 7) = %v, %v; want the time back", at, got, ok)
	}

	other := newLastVisitCodec([]byte("another secret key of 32 bytes!!"))
	tampered := []struct {
		name  string
		value string
		user  domain.UserID
	}{
		{"other account", value, 8},
		{"empty", "", 7},
		{"no signature", "7.1700000000", 7},
		{"edited time", strings.Replace(value, "7.", "7.1", 1), 7},
		{"edited user", "8" + value[1:], 8},
		{"signature of another key", other.encode(7, at), 7},
		{"truncated signature", value[:len(value)-2], 7},
		{"garbage", "not-a-cookie", 7},
		{"seed's plain format", "2026-11-26 08:30:00", 7},
	}
	for _, tt := range tampered {
		if _, ok := codec.decode(tt.value, tt.user); ok {
			t.Errorf("%s: decode(%q, %d) ok = true, want false", tt.name, tt.value, tt.user)
		}
	}
}
