package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/infrastructure/database"
)

// reader parses variables one by one and keeps the first error, so Load
// reads as a list of settings.
type reader struct {
	lookup func(string) (string, bool)
	err    error
}

// get returns the trimmed value of name, and false when it is unset or
// empty or an earlier variable already failed.
func (r *reader) get(name string) (string, bool) {
	if r.err != nil {
		return "", false
	}
	v, ok := r.lookup(name)
	v = strings.TrimSpace(v)
	return v, ok && v != ""
}

func (r *reader) fail(name, want, got string) {
	r.err = fmt.Errorf("config: %s must be %s, got %q", name, want, got)
}

func (r *reader) port(name string) (int, bool) {
	v, ok := r.get(name)
	if !ok {
		return 0, false
	}
	p, err := strconv.Atoi(v)
	if err != nil || p < 0 || p > 65535 {
		r.fail(name, "a TCP port number from 0 to 65535", v)
		return 0, false
	}
	return p, true
}

func (r *reader) databaseURL(name string, dst *string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	if _, err := database.ParseURL(v); err != nil {
		r.fail(name, "sqlite:PATH (relative or absolute) or sqlite::memory:", v)
		return
	}
	*dst = v
}

func (r *reader) secret(name string, dst *[]byte) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	if len(v) < MinSecretKeyLen {
		// Never echo a secret, not even a short one.
		r.err = fmt.Errorf("config: %s must be at least %d characters of random text (for example: openssl rand -hex 32)", name, MinSecretKeyLen)
		return
	}
	*dst = []byte(v)
}

func (r *reader) boolean(name string, dst *bool) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "true or false", v)
		return
	}
	*dst = b
}

func (r *reader) duration(name string, dst *time.Duration) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, "a positive Go duration such as 30m, 12h or 720h", v)
		return
	}
	*dst = d
}

func (r *reader) uint32(name string, dst *uint32, lo, hi uint64) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n < lo || n > hi {
		r.fail(name, fmt.Sprintf("a whole number from %d to %d", lo, hi), v)
		return
	}
	*dst = uint32(n)
}
