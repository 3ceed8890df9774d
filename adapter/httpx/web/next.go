package web

import (
	"net/url"
	"strings"
)

// safeNext returns raw when it is a local absolute path ("/account",
// "/a?b=c") and "/" otherwise, so a login link cannot send a user to
// another site: "//host", "/\host", schemes and control characters are all
// refused.
func safeNext(raw string) string {
	if raw == "" || raw[0] != '/' || len(raw) > 2048 {
		return "/"
	}
	if len(raw) > 1 && (raw[1] == '/' || raw[1] == '\\') {
		return "/"
	}
	for _, r := range raw {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return raw
}
