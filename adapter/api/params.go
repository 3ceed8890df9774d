package api

import (
	"strconv"

	"github.com/gatehouse/gatehouse/domain"
)

// parseSessionID reads a session id from a path segment strictly: the
// canonical decimal form of a positive int64 (no sign, no leading zero, no
// space). Anything else names nothing, so it is domain.ErrNotFound (a
// 404).
func parseSessionID(raw string) (domain.SessionID, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		return 0, domain.ErrNotFound
	}
	return domain.SessionID(id), nil
}
