package api

import (
	"github.com/gatehouse/gatehouse/adapter/httpx"
	"github.com/gatehouse/gatehouse/domain"
)

// parseSessionID reads a session id from a path segment (httpx.ParseID).
func parseSessionID(raw string) (domain.SessionID, error) {
	id, err := httpx.ParseID(raw)
	return domain.SessionID(id), err
}
