package domain

import "strconv"

// ParseID reads a record id as it appears in a URL: the canonical decimal
// form of a positive int64 (no sign, no leading zero, no space). Anything
// else names nothing, so the error is ErrNotFound.
func ParseID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		return 0, ErrNotFound
	}
	return id, nil
}
