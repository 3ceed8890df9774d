package api

import (
	"testing"
)

func TestAllowedMethods(t *testing.T) {
	routes := (&Handler{}).routes()
	tests := []struct {
		path string
		want string
	}{
		{"/api/v1/users", "POST"},
		{"/api/v1/sessions", "POST, GET"},
		{"/api/v1/sessions/", "POST, GET"},
		{"/api/v1/sessions/current", "DELETE"},
		{"/api/v1/sessions/42", "DELETE"},
		{"/API/v1/Me", "GET"},
		{"/api/v1/me/password", "PUT"},
		{"/api/v1/openapi.json", "GET"},
		{"/api/v1/sessions/42/x", ""},
		{"/api/v1", ""},
		{"/api/v2/me", ""},
		{"/api", ""},
	}
	for _, tt := range tests {
		if got := allowedMethods(routes, tt.path); got != tt.want {
			t.Errorf("allowedMethods(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestMatchPath(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"/api/v1/me", "/api/v1/me", true},
		{"/api/v1/me", "/api/v1/me//", true},
		{"/api/v1/me", "/API/V1/ME", true},
		{"/api/v1/me", "/api/v1/mex", false},
		{"/api/v1/sessions/:id", "/api/v1/sessions/7", true},
		{"/api/v1/sessions/:id", "/api/v1/sessions/", false},
		{"/api/v1/sessions/:id", "/api/v1/sessions/7/8", false},
	}
	for _, tt := range tests {
		if got := matchPath(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matchPath(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
