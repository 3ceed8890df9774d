package httpx

import "strings"

// MatchesRoute reports whether path matches the route pattern as Fiber's
// default routing does: without regard to case or trailing slashes, a
// :param taking one non-empty segment. The deliveries use it to list, for
// a 405's Allow header, the methods a path takes.
func MatchesRoute(pattern, path string) bool {
	want := strings.Split(strings.TrimRight(strings.ToLower(pattern), "/"), "/")
	got := strings.Split(strings.TrimRight(strings.ToLower(path), "/"), "/")
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if strings.HasPrefix(want[i], ":") {
			if got[i] == "" {
				return false
			}
			continue
		}
		if want[i] != got[i] {
			return false
		}
	}
	return true
}
