package httpx

import "testing"

func TestMatchesRoute(t *testing.T) {
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
		{"/admin/users/:id/disable", "/admin/users/5/disable", true},
		{"/admin/users/:id/disable", "/Admin/Users/5/Disable/", true},
		{"/", "/", true},
		{"/", "/login", false},
	}
	for _, tt := range tests {
		if got := MatchesRoute(tt.pattern, tt.path); got != tt.want {
			t.Errorf("MatchesRoute(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}
