package argon2id

import (
	"math"
	"strings"
	"testing"
)

func TestDefaultParams(t *testing.T) {
	// OWASP Password Storage Cheat Sheet: m=19456 (19 MiB), t=2, p=1.
	want := Params{MemoryKiB: 19456, Time: 2, Threads: 1}
	if got := DefaultParams(); got != want {
		t.Errorf("DefaultParams() = %v, want %v", got, want)
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Errorf("DefaultParams().Validate() = %v, want nil", err)
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		params  Params
		wantErr string // substring of the error; "" for valid params
	}{
		{Params{MemoryKiB: 8, Time: 1, Threads: 1}, ""},
		{Params{MemoryKiB: 16, Time: 1, Threads: 2}, ""},
		{Params{MemoryKiB: 2040, Time: 1, Threads: 255}, ""},
		{Params{MemoryKiB: maxMemoryKiB, Time: math.MaxUint32, Threads: 1}, ""},
		{Params{MemoryKiB: 7, Time: 1, Threads: 1}, "at least 8 KiB per thread"},
		{Params{MemoryKiB: 15, Time: 1, Threads: 2}, "(16 KiB for 2 threads), got 15 KiB"},
		{Params{MemoryKiB: 2039, Time: 1, Threads: 255}, "at least 8 KiB per thread"},
		{Params{MemoryKiB: 0, Time: 1, Threads: 1}, "at least 8 KiB per thread"},
		{Params{MemoryKiB: maxMemoryKiB + 1, Time: 1, Threads: 1}, "at most 4194304 KiB"},
		{Params{MemoryKiB: math.MaxUint32, Time: 1, Threads: 1}, "at most 4194304 KiB"},
		{Params{MemoryKiB: 64, Time: 0, Threads: 1}, "time must be at least 1"},
		{Params{MemoryKiB: 64, Time: 1, Threads: 0}, "threads must be 1 to 255"},
		{Params{}, "threads must be 1 to 255"},
	}
	for _, tt := range tests {
		err := tt.params.Validate()
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("Params(%v).Validate() = %v, want nil", tt.params, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("Params(%v).Validate() = %v, want error containing %q", tt.params, err, tt.wantErr)
			continue
		}
		if !strings.HasPrefix(err.Error(), "argon2id: invalid params: ") {
			t.Errorf("Params(%v).Validate() = %q, want prefix %q", tt.params, err, "argon2id: invalid params: ")
		}
	}
}

func TestNewRejectsInvalidParams(t *testing.T) {
	p := Params{MemoryKiB: 64, Time: 0, Threads: 1}
	h, err := New(p)
	if err == nil || h != nil {
		t.Errorf("New(%v) = %v, %v, want nil, error", p, h, err)
	}
}

func TestParamsString(t *testing.T) {
	tests := []struct {
		params Params
		want   string
	}{
		{DefaultParams(), "m=19456,t=2,p=1"},
		{Params{MemoryKiB: maxMemoryKiB, Time: math.MaxUint32, Threads: 255}, "m=4194304,t=4294967295,p=255"},
	}
	for _, tt := range tests {
		if got := tt.params.String(); got != tt.want {
			t.Errorf("Params(%#v).String() = %q, want %q", tt.params, got, tt.want)
		}
	}
}
