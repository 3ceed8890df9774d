package api

import "github.com/gatehouse/gatehouse/domain"

// parseSessionID reads a session id from a path segment (domain.ParseID).
func parseSessionID(raw string) (domain.SessionID, error) {
	id, err := domain.ParseID(raw)
	return domain.SessionID(id), err
}
