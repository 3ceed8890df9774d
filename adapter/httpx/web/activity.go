package web

import (
	"github.com/gatehouse/gatehouse/domain"
	"github.com/gatehouse/gatehouse/usecase"
	"strings"
)

// eventTexts say what each kind of security event means to the account's
// owner.
var eventTexts = map[domain.EventKind]string{
	domain.EventSignup:           "Account created",
	domain.EventLoginSuccess:     "Logged in",
	domain.EventLoginFailure:     "Failed login",
	domain.EventReauthFailure:    "Wrong current password given while signed in",
	domain.EventLogout:           "Logged out",
	domain.EventPasswordChange:   "Password changed",
	domain.EventSessionRevoked:   "Logged out other sessions",
	domain.EventAccountDeleted:   "Account deleted",
	domain.EventAdminDisable:     "Account disabled by an admin",
	domain.EventAdminEnable:      "Account enabled by an admin",
	domain.EventAdminClearLimit:  "Failed logins cleared by an admin",
	domain.EventAdminRevokeAll:   "All sessions ended by an admin",
	domain.EventAdminRole:        "Role changed by an admin",
	domain.EventAdminPassword:    "Password set by an admin",
	domain.EventAdminCreate:      "Account created by an admin",
	domain.EventAdminDelete:      "Account deleted by an admin",
	domain.EventImport:           "Account imported",
	domain.EventMailFailed:       "A message to your address was refused by its mail server",
	domain.EventEmailVerified:    "Email address verified",
	domain.EventEmailRemoved:     "Email address removed",
	domain.EventEmailCodeFailure: "Wrong email verification code entered",
	domain.EventTOTPEnabled:      "Two-factor authentication turned on",
	domain.EventTOTPDisabled:     "Two-factor authentication turned off",
	domain.EventTOTPFailure:      "Wrong two-factor code",
	domain.EventAdmin2FAReset:    "Two-factor authentication removed by an admin",
	domain.EventRecoveryCodeUsed: "Recovery code used",
	domain.EventRecoveryCodesNew: "New recovery codes made",
	domain.EventPasskeyAdded:     "Passkey added",
	domain.EventPasskeyRenamed:   "Passkey renamed",
	domain.EventPasskeyRemoved:   "Passkey removed",
	domain.EventPasskeyFailure:   "Passkey refused",
	// Detail says set or cleared (displayNameTexts); an unknown one
	// still reads as a change.
	domain.EventDisplayNameChange: "Display name changed",

	// Account recovery.
	domain.EventPasswordReset:       "Password reset with a code mailed to your address",
	domain.EventRecoveryCodeFailure: "Wrong account recovery code entered",
}

// displayNameTexts say what the owner did to the display name, by
// SecurityEvent.Detail.
var displayNameTexts = map[string]string{
	usecase.DisplayNameSet:     "Display name changed",
	usecase.DisplayNameCleared: "Display name removed",
}

// codeTexts say why a one-time code was refused, by SecurityEvent.Detail.
var codeTexts = map[string]string{
	domain.FailureBadCode:      "Wrong two-factor code",
	domain.FailureReplayedCode: "Two-factor code used a second time: refused",
	domain.FailureThrottled:    "Two-factor code tried too often, refused without checking",
	// A recovery code that is none of the account's unused ones.
	domain.FailureBadRecoveryCode: "Wrong recovery code, or one already used",
}

// failureTexts say why a login failed, by SecurityEvent.Detail.
var failureTexts = map[string]string{
	domain.FailureBadPassword:        "Failed login: wrong password",
	domain.FailureThrottled:          "Failed login: too many attempts, refused without checking",
	domain.FailureDisabled:           "Refused login: the account is disabled",
	domain.FailureCredentialsChanged: "Refused login: the password changed while it was being checked",
}

// passkeyTexts say why a passkey was refused, by SecurityEvent.Detail.
var passkeyTexts = map[string]string{
	domain.FailurePossibleClone:      "Passkey refused: its signature counter went backwards, so a copy of it may exist",
	domain.FailureNoUserVerification: "Passkey refused: the device did not verify you (no PIN, fingerprint or face)",
	domain.FailureUnknownPasskey:     "Passkey refused: not one of this account's",
	domain.FailureThrottled:          "Passkey tried too often, refused without checking",
}

// reauthTexts say why a re-authentication failed, by SecurityEvent.Detail.
var reauthTexts = map[string]string{
	domain.FailureBadPassword: "Wrong current password given while signed in",
	domain.FailureThrottled:   "Current password asked too often while signed in, refused without checking",
}

// roleTexts say what an admin made the account, by SecurityEvent.Detail.
var roleTexts = map[domain.Role]string{
	domain.RoleAdmin: "Made an admin by an admin",
	domain.RoleUser:  "Made a regular user by an admin",
}

// describeEvent is the text of e in the account's recent activity. It is
// built from fixed texts only: Detail selects one, it is never shown.
func describeEvent(e domain.SecurityEvent) string {
	switch e.Kind {
	case domain.EventLoginFailure:
		if text, ok := failureTexts[e.Detail]; ok {
			return text
		}
	case domain.EventReauthFailure:
		if text, ok := reauthTexts[e.Detail]; ok {
			return text
		}
	case domain.EventTOTPFailure:
		if text, ok := codeTexts[e.Detail]; ok {
			return text
		}
	case domain.EventPasskeyFailure:
		if text, ok := passkeyTexts[e.Detail]; ok {
			return text
		}
	case domain.EventLoginSuccess:
		if e.Detail == usecase.MethodPasskey {
			return "Logged in with a passkey"
		}
	case domain.EventAdminRole:
		if text, ok := roleTexts[domain.Role(e.Detail)]; ok {
			return text
		}
	case domain.EventDisplayNameChange:
		if text, ok := displayNameTexts[e.Detail]; ok {
			return text
		}
	case domain.EventSocialLogin:
		return "Signed in with " + providerOf(e.Detail)
	case domain.EventSocialLoginFailure:
		return "Failed sign-in with " + providerOf(e.Detail)
	case domain.EventIdentityLinked:
		return "Connected " + providerOf(e.Detail)
	case domain.EventIdentityUnlinked:
		return "Disconnected " + providerOf(e.Detail)
	}
	if text, ok := eventTexts[e.Kind]; ok {
		return text
	}
	return "Other account activity"
}

// providerOf is the provider an event's Detail names ("github", or
// "github: second factor required").
func providerOf(detail string) string {
	name, _, _ := strings.Cut(detail, ":")
	if name == "" {
		return "a provider"
	}
	return name
}
