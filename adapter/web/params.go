package web

import (
	"strconv"

	"github.com/gatehouse/gatehouse/domain"
)

// parseID reads an id from a path segment strictly: decimal digits only,
// no sign, no leading zero, positive, and within int64. Anything else
// names nothing, so it is domain.ErrNotFound (a 404).
func parseID(raw string) (int64, error) {
	if raw == "" || raw[0] == '0' || len(raw) > len("9223372036854775807") {
		return 0, domain.ErrNotFound
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return 0, domain.ErrNotFound
		}
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0, domain.ErrNotFound
	}
	return id, nil
}

// parsePage reads a 1-based page number from a query or form value;
// anything but a positive number is the first page.
func parsePage(raw string) int {
	page, err := strconv.Atoi(raw)
	if err != nil || page < 1 || page > maxPage {
		return 1
	}
	return page
}

// maxPage bounds page numbers, so an offset cannot overflow.
const maxPage = 1_000_000
