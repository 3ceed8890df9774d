package web

import (
	"testing"

	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
)

func TestDescribeEvent(t *testing.T) {
	tests := []struct {
		kind   domain.EventKind
		detail string
		want   string
	}{
		{domain.EventSignup, "", "Account created"},
		{domain.EventLoginSuccess, "", "Logged in"},
		{domain.EventLoginFailure, domain.FailureBadPassword, "Failed login: wrong password"},
		{domain.EventLoginFailure, domain.FailureThrottled, "Failed login: too many attempts, refused without checking"},
		{domain.EventLoginFailure, domain.FailureDisabled, "Refused login: the account is disabled"},
		{domain.EventLoginFailure, "<b>new reason</b>", "Failed login"},
		{domain.EventReauthFailure, domain.FailureBadPassword, "Wrong current password given while signed in"},
		{domain.EventReauthFailure, domain.FailureThrottled, "Current password asked too often while signed in, refused without checking"},
		{domain.EventReauthFailure, "<b>new reason</b>", "Wrong current password given while signed in"},
		{domain.EventLogout, "", "Logged out"},
		{domain.EventPasswordChange, "", "Password changed"},
		{domain.EventSessionRevoked, "session 7", "Logged out other sessions"},
		{domain.EventAccountDeleted, "", "Account deleted"},
		{domain.EventAdminDisable, "", "Account disabled by an admin"},
		{domain.EventAdminEnable, "", "Account enabled by an admin"},
		{domain.EventAdminClearLimit, "", "Failed logins cleared by an admin"},
		{domain.EventAdminRevokeAll, "2 sessions", "All sessions ended by an admin"},
		{domain.EventAdminRole, "admin", "Made an admin by an admin"},
		{domain.EventAdminRole, "user", "Made a regular user by an admin"},
		{domain.EventAdminRole, "root", "Role changed by an admin"},
		{domain.EventAdminPassword, "", "Password set by an admin"},
		{domain.EventAdminCreate, "user", "Account created by an admin"},
		{domain.EventAdminDelete, "", "Account deleted by an admin"},
		{domain.EventImport, "", "Account imported"},
		{domain.EventDisplayNameChange, usecase.DisplayNameSet, "Display name changed"},
		{domain.EventDisplayNameChange, usecase.DisplayNameCleared, "Display name removed"},
		{domain.EventDisplayNameChange, "<b>new detail</b>", "Display name changed"},
		{domain.EventLoginSuccess, usecase.MethodPasskey, "Logged in with a passkey"},
		{domain.EventPasskeyAdded, "3", "Passkey added"},
		{domain.EventPasskeyRenamed, "3", "Passkey renamed"},
		{domain.EventPasskeyRemoved, "3", "Passkey removed"},
		{domain.EventPasskeyFailure, domain.FailurePossibleClone, "Passkey refused: its signature counter went backwards, so a copy of it may exist"},
		{domain.EventPasskeyFailure, domain.FailureNoUserVerification, "Passkey refused: the device did not verify you (no PIN, fingerprint or face)"},
		{domain.EventPasskeyFailure, domain.FailureBadAssertion, "Passkey refused"},
		{"from_the_future", "", "Other account activity"},
	}
	for _, tt := range tests {
		e := domain.SecurityEvent{Kind: tt.kind, Detail: tt.detail}
		if got := describeEvent(e); got != tt.want {
			t.Errorf("describeEvent(%q, %q) = %q, want %q", tt.kind, tt.detail, got, tt.want)
		}
	}
}
