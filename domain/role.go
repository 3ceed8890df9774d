package domain

import "fmt"

// Role is what an account may do.
type Role string

// The roles. Every account is a RoleUser; a RoleAdmin also manages other
// accounts.
const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// ParseRole accepts "user" or "admin".
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleUser, RoleAdmin:
		return Role(s), nil
	}
	return "", fmt.Errorf("domain: unknown role %q, want user or admin", s)
}
