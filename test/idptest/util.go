package idptest

import (
	"net/url"
	"strings"
	"testing"
)

func queryValue(t testing.TB, raw, key string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("idptest: parse %s: %v", raw, err)
	}
	return u.Query().Get(key)
}

// absolute resolves a Location against base.
func absolute(base, loc string) string {
	if strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://") {
		return loc
	}
	b, _ := url.Parse(base)
	l, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	return b.ResolveReference(l).String()
}
