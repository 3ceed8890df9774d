package config_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

// TestLoadProviders: OIDC_PROVIDERS lists the providers in order, each
// with its OIDC_<NAME>_* settings; google knows its issuer, github its
// roots, and labels have defaults.
func TestLoadProviders(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"OIDC_PROVIDERS":        "google, GitHub,keycloak",
		"OIDC_GOOGLE_CLIENT_ID": "g-id", "OIDC_GOOGLE_CLIENT_SECRET": "g-secret", "OIDC_GOOGLE_AUDIENCES": "ios, android",
		"OIDC_GITHUB_CLIENT_ID": "gh-id", "OIDC_GITHUB_CLIENT_SECRET": "gh-secret",
		"OIDC_GITHUB_BASE_URL": "http://127.0.0.1:9/", "OIDC_GITHUB_API_URL": "http://127.0.0.1:9/api",
		"OIDC_KEYCLOAK_CLIENT_ID": "k-id", "OIDC_KEYCLOAK_CLIENT_SECRET": "k-secret",
		"OIDC_KEYCLOAK_ISSUER": "https://sso.example.com/realms/main", "OIDC_KEYCLOAK_LABEL": "Company SSO",
	}))
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	want := []config.IdentityProvider{
		{Name: "google", Label: "Google", ClientID: "g-id", ClientSecret: "g-secret", Issuer: config.GoogleIssuer, Audiences: []string{"ios", "android"}},
		{Name: "github", GitHub: true, Label: "GitHub", ClientID: "gh-id", ClientSecret: "gh-secret", BaseURL: "http://127.0.0.1:9/", APIURL: "http://127.0.0.1:9/api"},
		{Name: "keycloak", Label: "Company SSO", ClientID: "k-id", ClientSecret: "k-secret", Issuer: "https://sso.example.com/realms/main"},
	}
	if !reflect.DeepEqual(c.IdentityProviders, want) {
		t.Errorf("IdentityProviders = %+v\nwant %+v", c.IdentityProviders, want)
	}
	if c, _ := config.Load(env(nil)); len(c.IdentityProviders) != 0 {
		t.Errorf("IdentityProviders without OIDC_PROVIDERS = %+v, want none", c.IdentityProviders)
	}
}

// TestLoadRejectsBadProviders: every invalid provider setting is an
// error naming the variable, and never echoes a secret.
func TestLoadRejectsBadProviders(t *testing.T) {
	base := func(extra map[string]string) map[string]string {
		m := map[string]string{"OIDC_PROVIDERS": "sso", "OIDC_SSO_CLIENT_ID": "id", "OIDC_SSO_CLIENT_SECRET": "hunter2", "OIDC_SSO_ISSUER": "https://sso.example.com"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		vars map[string]string
		want string
	}{
		{base(map[string]string{"OIDC_PROVIDERS": "sso,sso"}), "OIDC_PROVIDERS"},
		{base(map[string]string{"OIDC_PROVIDERS": "my-sso"}), "OIDC_PROVIDERS"},
		{base(map[string]string{"OIDC_PROVIDERS": "sso,,"}), "OIDC_PROVIDERS"},
		{base(map[string]string{"OIDC_SSO_CLIENT_ID": ""}), "OIDC_SSO_CLIENT_ID"},
		{base(map[string]string{"OIDC_SSO_CLIENT_SECRET": ""}), "OIDC_SSO_CLIENT_SECRET"},
		{base(map[string]string{"OIDC_SSO_ISSUER": ""}), "OIDC_SSO_ISSUER"},
		{base(map[string]string{"OIDC_SSO_ISSUER": "sso.example.com"}), "OIDC_SSO_ISSUER"},
		{base(map[string]string{"OIDC_SSO_ISSUER": "https://sso.example.com/?x=1"}), "OIDC_SSO_ISSUER"},
		{base(map[string]string{"OIDC_SSO_LABEL": strings.Repeat("x", 65)}), "OIDC_SSO_LABEL"},
		{map[string]string{"OIDC_PROVIDERS": "github", "OIDC_GITHUB_CLIENT_ID": "id", "OIDC_GITHUB_CLIENT_SECRET": "hunter2", "OIDC_GITHUB_API_URL": "ftp://x"}, "OIDC_GITHUB_API_URL"},
		{map[string]string{"OIDC_PROVIDERS": "github", "OIDC_GITHUB_CLIENT_ID": "id", "OIDC_GITHUB_CLIENT_SECRET": "hunter2", "OIDC_GITHUB_BASE_URL": "http://"}, "OIDC_GITHUB_BASE_URL"},
	}
	for _, tt := range tests {
		_, err := config.Load(env(tt.vars))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%v) error = %v, want one naming %s", tt.vars, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Load(%v) error = %v echoes a secret", tt.vars, err)
		}
	}
}
