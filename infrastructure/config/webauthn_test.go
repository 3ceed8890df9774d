package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/infrastructure/config"
)

// TestLoadWebAuthn: the RP ID and origins default from PUBLIC_URL; a
// PUBLIC_URL at an IP leaves passkeys off unless an RP ID is set; the
// variables override the defaults.
func TestLoadWebAuthn(t *testing.T) {
	tests := []struct {
		env         map[string]string
		wantRPID    string
		wantOrigins []string
	}{
		{map[string]string{"PORT": "7000"}, "localhost", []string{"http://localhost:7000"}},
		{map[string]string{"PUBLIC_URL": "https://Login.Example.org/"}, "login.example.org", []string{"https://login.example.org"}},
		{map[string]string{"PUBLIC_URL": "http://127.0.0.1:5000"}, "", []string{"http://127.0.0.1:5000"}},
		{map[string]string{"PUBLIC_URL": "https://login.example.org", "WEBAUTHN_RP_ID": "example.org",
			"WEBAUTHN_ORIGINS": "https://login.example.org, https://www.example.org:8443"},
			"example.org", []string{"https://login.example.org", "https://www.example.org:8443"}},
	}
	for _, tt := range tests {
		c, err := config.Load(env(tt.env))
		if err != nil || c.WebAuthnRPID != tt.wantRPID || !slices.Equal(c.WebAuthnOrigins, tt.wantOrigins) {
			t.Errorf("Load(%v) = RP ID %q, origins %q, %v; want %q, %q", tt.env, c.WebAuthnRPID, c.WebAuthnOrigins, err, tt.wantRPID, tt.wantOrigins)
		}
	}
}

// TestLoadWebAuthnInvalid: an IP address as RP ID, a malformed one, a
// malformed origin or one outside the RP ID stop the start, naming the
// variable.
func TestLoadWebAuthnInvalid(t *testing.T) {
	tests := []struct {
		env  map[string]string
		name string
		hint string
	}{
		{map[string]string{"WEBAUTHN_RP_ID": "127.0.0.1"}, "WEBAUTHN_RP_ID", "not an IP address"},
		{map[string]string{"WEBAUTHN_RP_ID": "::1"}, "WEBAUTHN_RP_ID", "not an IP address"},
		{map[string]string{"WEBAUTHN_RP_ID": "[2001:db8::1]"}, "WEBAUTHN_RP_ID", "not an IP address"},
		{map[string]string{"WEBAUTHN_RP_ID": "https://login.example.org"}, "WEBAUTHN_RP_ID", "domain name"},
		{map[string]string{"WEBAUTHN_RP_ID": "login.example.org:443"}, "WEBAUTHN_RP_ID", "domain name"},
		{map[string]string{"WEBAUTHN_ORIGINS": "login.example.org"}, "WEBAUTHN_ORIGINS", "origins"},
		{map[string]string{"WEBAUTHN_ORIGINS": "https://localhost/path"}, "WEBAUTHN_ORIGINS", "origins"},
		{map[string]string{"WEBAUTHN_ORIGINS": "https://evil.example.net"}, "WEBAUTHN_ORIGINS", "not on the RP ID"},
		{map[string]string{"PUBLIC_URL": "https://login.example.org", "WEBAUTHN_RP_ID": "other.example.org"}, "WEBAUTHN_ORIGINS", "not on the RP ID"},
	}
	for _, tt := range tests {
		_, err := config.Load(env(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.name) || !strings.Contains(err.Error(), tt.hint) {
			t.Errorf("Load(%v) error = %v, want one naming %s and saying %q", tt.env, err, tt.name, tt.hint)
		}
	}
}
