package config

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
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

// ipAddress reads an IP address to listen on, such as 127.0.0.1 or ::1.
func (r *reader) ipAddress(name string) (string, bool) {
	v, ok := r.get(name)
	if !ok {
		return "", false
	}
	addr, err := netip.ParseAddr(v)
	if err != nil || addr.Zone() != "" {
		r.fail(name, "an IP address to listen on, such as 127.0.0.1 or ::1", v)
		return "", false
	}
	return addr.String(), true
}

func (r *reader) databaseURL(name string, dst *string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	if _, err := database.ParseURL(v); err != nil {
		// The value is not echoed (it may carry a password), and neither
		// does ParseURL's error: it names the problem and the forms.
		r.err = fmt.Errorf("config: %w", err)
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

// connections reads a connection pool size: a whole number from 1 to
// 10,000.
func (r *reader) connections(name string, dst *int) {
	n := uint32(*dst)
	r.uint32(name, &n, 1, 10_000)
	*dst = int(n)
}

// count reads a limit: a whole number from 1 to 1,000,000.
func (r *reader) count(name string, dst *int) {
	n := uint32(*dst)
	r.uint32(name, &n, 1, 1_000_000)
	*dst = int(n)
}

// prefixes reads a comma-separated list of IP addresses and CIDR ranges.
func (r *reader) prefixes(name string, dst *[]netip.Prefix) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	var out []netip.Prefix
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			addr, aerr := netip.ParseAddr(item)
			if aerr != nil {
				r.fail(name, "a comma-separated list of IP addresses or CIDR ranges such as 10.0.0.1,192.168.0.0/16", item)
				return
			}
			p = netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	*dst = out
}

// oneOf reads one of the given words, without regard to case.
func (r *reader) oneOf(name string, dst *string, words ...string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	for _, w := range words {
		if strings.EqualFold(v, w) {
			*dst = w
			return
		}
	}
	r.fail(name, "one of "+strings.Join(words, ", "), v)
}

// level reads a log level: debug, info, warn or error.
func (r *reader) level(name string, dst *slog.Level) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	levels := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}
	l, found := levels[strings.ToLower(v)]
	if !found {
		r.fail(name, "one of debug, info, warn, error", v)
		return
	}
	*dst = l
}

// hostPort reads a TCP address to listen on: HOST:PORT, with a numeric
// port; an empty host means every interface.
func (r *reader) hostPort(name string, dst *string) {
	v, ok := r.get(name)
	if !ok {
		return
	}
	_, port, err := net.SplitHostPort(v)
	p, perr := strconv.Atoi(port)
	if err != nil || perr != nil || p < 0 || p > 65535 {
		r.fail(name, "a HOST:PORT address such as 127.0.0.1:9090", v)
		return
	}
	*dst = v
}
