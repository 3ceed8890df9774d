package web

import "strconv"

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
