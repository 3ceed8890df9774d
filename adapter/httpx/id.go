package httpx

import (
	"strconv"

	"github.com/gatehouse/gatehouse/domain"
)

// ParseID reads a record id as it appears in a URL path: the canonical
// decimal form of a positive int64 (no sign, no leading zero, no space).
// Anything else names nothing, so the error is domain.ErrNotFound, the
// same 404 as an id that names no record.
func ParseID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		return 0, domain.ErrNotFound
	}
	return id, nil
}
